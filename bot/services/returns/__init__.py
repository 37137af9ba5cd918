"""Returns: the customer's request and everything after it, one use case per module.

``request`` what may be returned and submitting it; ``flow`` the request put together in the chat;
``desk`` the managers' steps and /returns; ``followups`` the customer's answer and waybill;
``shop`` the shop's API moves; ``tracking`` the parcel coming back; ``moves`` a status change and
its history; ``notices`` what each move says and to whom; ``review`` the RETURN_REVIEW_SLA timer;
``photos`` copies kept on disk; ``stats`` the figures of /stats.
"""
