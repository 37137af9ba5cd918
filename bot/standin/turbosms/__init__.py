"""A strict local stand-in for the TurboSMS HTTP API: ``message/send.json``,
``message/status.json``, ``user/balance.json`` and each module's ``ping``.

Built from ``shared/refdata/sms/turbosms-http-api-facts.json`` (auth options, the envelope, HTTP
200 for every valid request, the response codes, the send/status/balance shapes, ``sequence_id``,
hybrid sending). Where the facts are silent the stand-in chooses, and says so where it does: an
unknown method is an HTTP 404; a request with neither an ``sms`` nor a ``viber`` block is 300
INVALID_REQUEST; a ttl below 1 is 409; a send where no recipient is accepted answers the first
recipient's code at the top; a status item already reported carries 0 OK. The delivery status
texts are its own (:data:`DELIVERED`, :data:`NOT_DELIVERED`): no source shows the real ones.

The sandbox sends its Viber/SMS here; the tests use it as their fake TurboSMS::

    sms = TurboSmsStandin()                     # token, senders, balance, prices: fields
    async with serve(sms) as api_url:           # http://127.0.0.1:<port>
        gateway = TurboSmsGateway(sms.token, sms.sms_sender, sms.viber_sender, api_url=api_url)
        sms.without_viber("380501234567")       # hybrid sends go by SMS, Viber-only stays undelivered
        sms.stop_list("380671234567")           # 404 NOT_ALLOWED_NUMBER_STOPLIST for the phone
        result = await gateway.send(http, message)
        sms.mark_sent(id); sms.deliver(id); sms.fail(id); sms.click(id)
        sms.reject_viber(id, "blocked")         # Viber's rejected_status
        sms.fail_next(500)                      # HTTP failures before the API (429 + Retry-After)
        sms.answer_next(999)                    # an envelope with that code instead of working
        sms.block_user()                        # 106 REQUIRED_ACTIVE_USER from now on
    sms.messages  # id → SentMessage (phone, channel, text, sender, parts, cost, status …)
    sms.calls     # every request: method, path, how the token came, the body
    sms.balance   # goes down by sms_price per SMS part, viber_price per Viber message
"""

from __future__ import annotations

from bot.standin.turbosms.account import TurboSmsStandin
from bot.standin.turbosms.codes import STATUS_NAMES
from bot.standin.turbosms.records import DELIVERED, NOT_DELIVERED, ApiError, Call, SentMessage
from bot.standin.turbosms.server import serve

__all__ = [
    "DELIVERED",
    "NOT_DELIVERED",
    "STATUS_NAMES",
    "ApiError",
    "Call",
    "SentMessage",
    "TurboSmsStandin",
    "serve",
]
