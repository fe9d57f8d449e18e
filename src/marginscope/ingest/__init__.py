"""Loading source files into the warehouse: read, map, validate, load, log.

The public entry points are :func:`load_file` and :func:`load_bundle`.
"""

from marginscope.ingest.errors import IngestError
from marginscope.ingest.load import LoadResult, Policy, load_bundle, load_file, load_source
from marginscope.ingest.mapping import Bundle, Mapping, MappingError

__all__ = ["Bundle", "IngestError", "LoadResult", "Mapping", "MappingError", "Policy", "load_bundle",
           "load_file", "load_source"]
