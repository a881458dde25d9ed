# British English for a day in Paris: "Wednesday 10 March 2027", "9:30 am" (a non-breaking
# space keeps "am" with its time). "a" prints Django's "a.m."/"p.m.", which locale/en spells
# "am"/"pm". One way for every date and time of the site: the short formats say the same as
# the long ones (no 10/03/2027).
DATE_FORMAT = "l j F Y"
TIME_FORMAT = "g:i\u00a0a"
DATETIME_FORMAT = "l j F Y, g:i\u00a0a"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
