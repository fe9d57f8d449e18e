"""Loading source files into the warehouse: read, map, validate, load, log.

The public entry points are :func:`load_file`, :func:`load_bundle` and :func:`load_query`.
"""

from marginscope.ingest.errors import IngestError
from marginscope.ingest.load import LoadResult, Policy, load_bundle, load_file, load_query, load_source
from marginscope.ingest.mapping import Bundle, Mapping, MappingError

__all__ = ["Bundle", "IngestError", "LoadResult", "Mapping", "MappingError", "Policy", "load_bundle",
           "load_file", "load_query", "load_source"]
