# French typography: "mercredi 10 mars 2027", "9 h 30" (non-breaking spaces around the h).
# One way for every date and time of the site: the short formats say the same as the long
# ones (no 10/03/2027).
DATE_FORMAT = "l j F Y"
TIME_FORMAT = "G\u00a0\\h\u00a0i"
DATETIME_FORMAT = "l j F Y à G\u00a0\\h\u00a0i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
