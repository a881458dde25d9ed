# British English for a day in Paris: "Wednesday 10 March 2027", "9:30 a.m.", 10/03/2027.
DATE_FORMAT = "l j F Y"
TIME_FORMAT = "P"
DATETIME_FORMAT = "j F Y, P"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y P"
