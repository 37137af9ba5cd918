"""Fakes of shop platforms and CRMs, built from shared/refdata."""
