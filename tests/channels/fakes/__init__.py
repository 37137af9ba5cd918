"""Fakes of Viber/SMS gateways, built from shared/refdata/sms."""
