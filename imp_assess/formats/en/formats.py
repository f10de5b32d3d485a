"""English dates as the UN Secretariat writes them in data (ISO 8601), not Django's US
defaults; French uses Django's own French formats (``d/m/Y``, decimal comma)."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
