"""Arabic number formats: the site writes Latin digits, grouped in thousands by a comma
with a point before decimals, as CLDR gives for Arabic with Latin digits (Django's own Arabic
formats do not group thousands: 54016182). Dates stay Django's."""

from django.conf.locale.ar.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
