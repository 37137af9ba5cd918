"""Importing past orders into the database (SQLite and PostgreSQL): what is stored, bad rows, reruns."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.importer.pipeline import ImportReport, import_orders
from bot.importer.sources import open_source
from storage.models import Customer, Feedback, Order, OrderEvent
from storage.uow import Database

KYIV = ZoneInfo("Europe/Kyiv")
ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLE_CSV = ROOT / "examples" / "orders-history.csv"
EXAMPLE_JSON = ROOT / "examples" / "orders-history.json"
HEADER = (
    "external_id,phone,name,status,created_at,finished_at,confirmed_at,total,"
    "currency,payment,carrier,city,refusal_reason,comment"
)


async def run(db: Database, path: Path, batch_size: int = 2000) -> ImportReport:
    return await import_orders(db, open_source(path), tz=KYIV, batch_size=batch_size)


def csv_file(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "orders.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


async def counts(db: Database) -> dict[str, int]:
    async with db.uow() as uow:
        return {
            model.__tablename__: int(
                await uow.session.scalar(select(func.count()).select_from(model)) or 0
            )
            for model in (Customer, Order, OrderEvent, Feedback)
        }


async def order(db: Database, external_id: str) -> Order:
    async with db.uow() as uow:
        found = await uow.orders.by_external_id(external_id)
        assert found is not None, external_id
        return found


async def chain(db: Database, external_id: str) -> list[tuple]:
    async with db.uow() as uow:
        found = await uow.orders.by_external_id(external_id)
        assert found is not None
        return [
            (e.kind, e.from_status, e.to_status, e.source, e.reason, e.comment, e.occurred_at)
            for e in await uow.orders.events_of(found.id)
        ]


def kyiv(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=KYIV).astimezone(UTC)


async def test_the_example_file_is_stored_as_the_bot_would_have_stored_it(db: Database):
    report = await run(db, EXAMPLE_CSV)

    assert (report.imported, report.present, report.bad) == (12, 0, [])
    assert await counts(db) == {"customers": 6, "orders": 12, "order_events": 50, "feedback": 4}

    received = await order(db, "H-10001")
    assert received.status == "received" and received.total == Decimal("1250.00")
    assert (received.currency, received.payment, received.carrier, received.city) == (
        "UAH",
        "cod",
        "nova_poshta",
        "Київ",
    )
    assert received.created_at == received.shop_created_at == kyiv("2025-09-02T10:15")
    assert received.updated_at == kyiv("2025-09-05T16:40")
    assert received.language is None and received.cancel_comment is None
    assert len(received.link_token) == 22
    assert received.customer.phone == "+380501234567" and received.customer.name == "Олена Коваль"
    assert await chain(db, "H-10001") == [
        ("created", None, "new", "shop", None, None, kyiv("2025-09-02T10:15")),
        ("status", "new", "confirmed", "shop", None, None, kyiv("2025-09-02T10:32")),
        ("status", "confirmed", "shipped", "shop", None, None, kyiv("2025-09-05T16:40")),
        ("status", "shipped", "received", "shop", None, None, kyiv("2025-09-05T16:40")),
    ]


async def test_customers_are_found_by_phone_whatever_its_spelling(db: Database):
    await run(db, EXAMPLE_CSV)
    async with db.uow() as uow:
        olena = await uow.customers.by_phone("+380501234567")
        assert olena is not None
        # "+380501234567", "050 123 45 67" and "0501234567" in the file: one customer
        assert [o.external_id for o in await uow.orders.of_customer(olena.id)] == [
            "H-10001",
            "H-10006",
            "H-10012",
        ]
        assert olena.created_at == kyiv("2025-09-02T10:15")  # her first order
        history = await uow.history.of_customer(olena.id)
        assert (history.received, history.refused, history.returned) == (2, 1, 0)
        assert history.received_total == Decimal("2030.00")
        ivan = await uow.customers.by_phone("+380991234567")
        assert ivan is not None
        assert (await uow.history.of_customer(ivan.id)).refused == 2


async def test_refusals_and_cancellations_keep_reasons_and_comments(db: Database):
    await run(db, EXAMPLE_CSV)
    async with db.uow() as uow:
        rows = (
            await uow.session.execute(
                select(
                    Order.external_id,
                    Feedback.kind,
                    Feedback.value,
                    Feedback.comment,
                    Feedback.created_at,
                )
                .join(Order, Feedback.order_id == Order.id)
                .where(Feedback.customer_id == Order.customer_id)
                .order_by(Order.external_id)
            )
        ).all()
    assert [tuple(row) for row in rows] == [
        ("H-10004", "refusal", "mind", None, kyiv("2025-09-12T17:05")),
        ("H-10007", "refusal", "differs", "Колір не такий, як на фото", kyiv("2025-10-01T12:00")),
        ("H-10008", "refusal", "notmine", "Каже що не замовляв", kyiv("2025-10-02T15:30")),
        (
            "H-10012",
            "refusal",
            "price",
            "Знайшла дешевше в іншому магазині",
            kyiv("2025-10-17T18:00"),
        ),
    ]
    returned = await chain(db, "H-10007")
    assert [(kind, to) for kind, _, to, *_ in returned] == [
        ("created", "new"),
        ("status", "confirmed"),
        ("status", "shipped"),
        ("status", "returning"),
        ("status", "returned"),
        ("refusal", None),
    ]
    assert returned[-1][4:6] == ("differs", "Колір не такий, як на фото")

    plain_cancel = await order(db, "H-10010")
    assert plain_cancel.status == "cancelled" and plain_cancel.cancel_reason is None
    assert plain_cancel.cancel_comment == "Оформила двічі"
    assert [(kind, frm, to) for kind, frm, to, *_ in await chain(db, "H-10010")] == [
        ("created", None, "new"),
        ("status", "new", "cancelled"),
    ]


async def test_an_order_cancelled_after_confirmation(db: Database):
    await run(db, EXAMPLE_CSV)
    cancelled = await order(db, "H-10003")
    assert cancelled.status == "cancelled"
    assert cancelled.cancel_comment == "Знайшла дешевше, передзвонила менеджеру"
    comment = "Знайшла дешевше, передзвонила менеджеру"
    assert await chain(db, "H-10003") == [
        ("created", None, "new", "shop", None, None, kyiv("2025-09-04T09:40")),
        ("status", "new", "confirmed", "shop", None, None, kyiv("2025-09-04T09:55")),
        ("status", "confirmed", "cancelled", "shop", None, comment, kyiv("2025-09-04T18:10")),
    ]


async def test_the_json_example_stores_the_same(db: Database):
    report = await run(db, EXAMPLE_JSON)
    assert (report.imported, report.present, report.bad) == (12, 0, [])
    assert await counts(db) == {"customers": 6, "orders": 12, "order_events": 50, "feedback": 4}


async def test_a_known_customer_keeps_their_name_and_telegram_link(
    db: Database, clock, tmp_path: Path
):
    async with db.uow() as uow:
        known = await uow.customers.add(phone="+380501234567", name="Олена К.", now=clock.now())
        known.telegram_id = 5001
        await uow.commit()
    path = csv_file(
        tmp_path,
        "A-1,+38 050 123 45 67,Олена Коваль-Шевчук,received,2025-05-01T10:00,,,500,,,,,,",
        "A-2,0671112233,Андрій Шевченко,received,2025-05-02T10:00,,,700,,,,,,",
    )

    report = await run(db, path)

    assert report.imported == 2
    async with db.uow() as uow:
        olena = await uow.customers.by_phone("+380501234567")
        assert olena is not None and olena.id == known.id
        assert (olena.name, olena.telegram_id) == ("Олена К.", 5001)
        assert olena.created_at == clock.now()
        assert [o.external_id for o in await uow.orders.of_customer(olena.id)] == ["A-1"]
        andriy = await uow.customers.by_phone("+380671112233")
        assert andriy is not None and andriy.name == "Андрій Шевченко"
        assert andriy.telegram_id is None


async def test_bad_rows_are_reported_by_line_and_the_rest_is_imported(db: Database, tmp_path: Path):
    path = csv_file(
        tmp_path,
        "B-1,0501234567,Олена Коваль,received,2025-05-01T10:00,2025-05-04T12:00,,500,,,,Київ,,",  # 2
        "B-2,12345,Хтось,received,2025-05-01T10:00,,,500,,,,,,",  # 3
        "B-3,0671112233,Андрій Шевченко,refused,2025-05-02T10:00,2025-05-09T10:00,,700,,,,,price,",  # 4
        "",  # 5: blank, skipped
        "B-4,0671112233,Андрій Шевченко,shipped,2025-05-03T10:00,,,100,,,,,,",  # 6
        "B-1,0501234567,Олена Коваль,received,2025-06-01T10:00,,,900,,,,,,",  # 7
        ",0501234567,,received,вчора,,,-3,,,,,,",  # 8
        "B-5,0501234567,Олена Коваль,received,2025-05-05T10:00,,,300,,,,,mind,",  # 9
        "B-6,0931234567,Марія Бондаренко,cancelled,2025-05-06T10:00,2025-05-05T10:00,,300,,,,,,",  # 10
        "B-7,0931234567,Марія Бондаренко,cancelled,2025-05-06T10:00,2025-05-06T12:00,"
        "2025-05-06T10:30,300,,,,,,Передумала",  # 11
    )

    report = await run(db, path, batch_size=2)

    assert report.bad == [
        "line 3: invalid phone '12345'",
        "line 6: status 'shipped' is not an outcome: use one of received, refused, returned, cancelled",
        "line 7: duplicate external_id, first seen on line 2",
        "line 8: external_id is missing; name is missing; created_at 'вчора' is not an ISO date"
        " or date and time (like 2024-03-01 or 2024-03-01T14:30); total is negative",
        "line 9: refusal_reason is only for refused or returned orders",
        "line 10: finished_at is before created_at",
    ]
    assert (report.imported, report.present) == (3, 0)
    assert report.summary() == "imported 3, already present 0, bad 6"
    async with db.uow() as uow:
        stored = await uow.session.execute(select(Order.external_id, Order.status, Order.total))
        assert sorted(tuple(row) for row in stored.all()) == [
            ("B-1", "received", Decimal("500.00")),  # the first B-1, not the duplicate
            ("B-3", "refused", Decimal("700.00")),
            ("B-7", "cancelled", Decimal("300.00")),
        ]
    assert await counts(db) == {
        "customers": 3,
        "orders": 3,
        "order_events": 4 + 5 + 3,
        "feedback": 1,
    }


async def test_bad_json_records_are_numbered_by_record(db: Database, tmp_path: Path):
    path = tmp_path / "orders.json"
    path.write_text(
        '{"orders": ['
        '{"external_id": "J-1", "phone": "0501234567", "name": "Олена", "status": "received",'
        ' "created_at": "2025-05-01", "total": 450.5},'
        ' "J-2",'
        ' {"external_id": "J-3", "phone": "0501234567", "name": "Олена", "status": "lost",'
        ' "created_at": "2025-05-01", "total": 1},'
        ' {"external_id": "J-1", "phone": "0501234567", "name": "Олена", "status": "received",'
        ' "created_at": "2025-05-01", "total": 1}'
        "]}",
        encoding="utf-8",
    )

    report = await run(db, path)

    assert report.bad == [
        "record 2: not an object with the order's columns",
        "record 3: status 'lost' is not an outcome: use one of received, refused, returned, cancelled",
        "record 4: duplicate external_id, first seen on record 1",
    ]
    assert (report.imported, report.present) == (1, 0)
    assert (await order(db, "J-1")).total == Decimal("450.50")


async def test_a_file_with_old_and_new_orders_adds_only_the_new(db: Database, tmp_path: Path):
    await run(db, EXAMPLE_CSV)
    before = await counts(db)
    lines = EXAMPLE_CSV.read_text(encoding="utf-8").splitlines()[1:4]
    path = csv_file(
        tmp_path,
        *lines,
        "H-20001,0501234567,Олена Коваль,returned,2025-11-01T10:00,2025-11-12T10:00,,990,,,,Київ,,",
    )

    report = await run(db, path)

    assert (report.imported, report.present, report.bad) == (1, 3, [])
    assert await counts(db) == {
        "customers": before["customers"],  # Олена is known
        "orders": before["orders"] + 1,
        "order_events": before["order_events"]
        + 5,  # created, confirmed, shipped, returning, returned
        "feedback": before["feedback"],  # no reason, no comment: nothing to keep
    }


async def test_a_new_customer_across_batches_is_created_once(db: Database, tmp_path: Path):
    path = csv_file(
        tmp_path,
        *(
            f"C-{n},0991234567,Іван Мельник,received,2025-05-{n:02d}T10:00,,,{n}00,,,,,,"
            for n in range(1, 8)
        ),
    )

    report = await run(db, path, batch_size=3)

    assert report.imported == 7
    assert (await counts(db))["customers"] == 1
    async with db.uow() as uow:
        ivan = await uow.customers.by_phone("+380991234567")
        assert ivan is not None
        assert len(await uow.orders.of_customer(ivan.id)) == 7
        assert (await uow.history.of_customer(ivan.id)).received == 7


async def test_importing_again_changes_nothing(db: Database):
    first = await run(db, EXAMPLE_CSV, batch_size=5)
    stored = await counts(db)
    tokens = await _link_tokens(db)

    second = await run(db, EXAMPLE_CSV, batch_size=5)
    third = await run(db, EXAMPLE_JSON)

    assert (first.imported, first.present) == (12, 0)
    assert (second.imported, second.present, second.bad) == (0, 12, [])
    assert (third.imported, third.present, third.bad) == (0, 12, [])
    assert await counts(db) == stored
    assert await _link_tokens(db) == tokens


async def _link_tokens(db: Database) -> dict[str, str]:
    async with db.uow() as uow:
        rows = await uow.session.execute(select(Order.external_id, Order.link_token))
        return {external_id: token for external_id, token in rows.all()}
