"""Integrations of yapdns with other programs (``yapdns.contrib.cuckoo``: Cuckoo / CAPE)."""
