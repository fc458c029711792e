"""Classifications: NACE Rev. 2 (= SNI 2007), NUTS versions, Swedish län and kommuner."""

from smartspec.data.classifications.nace import (  # noqa: F401
    activity_level,
    activity_name,
    aggregate_activities,
    nace_parent,
    nace_table,
    normalise_activity,
    sections_of,
)
from smartspec.data.classifications.nuts import nuts_level, nuts_regions, recode_nuts  # noqa: F401
from smartspec.data.classifications.regions import Region, resolve_region  # noqa: F401
