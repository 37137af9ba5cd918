"""What an admin did, as the audit log stores it (``audit_log.action``; a value never changes)."""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    blacklist = "blacklist"  # put a customer on the blacklist
    unblock = "unblock"  # took a customer off it
    note = "note"  # added a note to a customer
    flag = "flag"  # marked a customer (rude, fraud, wrong address)
    approve = "approve"  # let a risky order go ahead
    prepay = "prepay"  # asked for prepayment of a risky order
    cancel = "cancel"  # cancelled a risky order
    take = "take"  # took a risky order to handle
    return_step = "return"  # moved a return
    forget = "forget"  # erased a customer's personal data
    texting_off = "nosms"  # stopped Viber/SMS to a customer (as if they had said STOP)
    texting_on = "sms"  # lifted a customer's STOP: Viber/SMS may reach them again
