"""Bibliographic data with no Sphinx in it.

BibTeX to CSL-JSON, the CSL processor, the essay's own record, and every
export's formatting (CSL-JSON, BibTeX, RIS, COinS, meta tags), as pure
functions that a test can call without a Sphinx project.
"""
