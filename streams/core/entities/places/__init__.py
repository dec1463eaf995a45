"""Places resolved in context: a LOC entity's namesakes ranked by prior and the document's
evidence (readings.py builds the candidates, resolve.py scores them)."""

from streams.core.entities.places.readings import Place, candidates, fold, region_of
from streams.core.entities.places.resolve import resolve_places

__all__ = ["Place", "candidates", "fold", "region_of", "resolve_places"]
