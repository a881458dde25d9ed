# French typography: "mercredi 10 mars 2027", "9 h 30" (non-breaking spaces around the h).
DATE_FORMAT = "l j F Y"
TIME_FORMAT = "G\u00a0\\h\u00a0i"
DATETIME_FORMAT = "j F Y à G\u00a0\\h\u00a0i"
