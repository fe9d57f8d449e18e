"""One router per domain; :mod:`.v1` gathers them under ``/api/v1``."""
