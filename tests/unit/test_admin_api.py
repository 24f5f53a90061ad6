"""The admin API as an owner uses it: staff, API keys, knowledge base, settings, conversations,
audit log; and the rules that keep each role in its lane."""

from __future__ import annotations

import asyncio
import csv
import io
import json

from shared.auth.scopes import API_KEY_SCOPES
from shared.bot import NOT_FOUND_ABOUT
from shared.db.tables import ApiKey
from tests.staff import api_key, new_tenant, staff, superadmin
from tests.unit.test_handoff import login, wait_for_messages
from tests.unit.test_visitor_api import say, start

ADMIN = "/api/v1/admin"


async def audit_actions(client, headers) -> list[str]:
    return [e["action"] for e in (await client.get(f"{ADMIN}/audit/", headers=headers)).json()]


async def test_an_owner_manages_staff_and_a_disabled_agent_is_locked_out_at_once(app_client):
    owner = await staff(app_client)
    created = await app_client.post(
        f"{ADMIN}/users/",
        headers=owner,
        json={"email": "new.agent@example.com", "password": "agent password 1", "role": "agent"},
    )
    assert created.status_code == 201, created.text
    agent_id = created.json()["id"]
    agent = await login(app_client, "new.agent@example.com", "agent password 1")
    assert (await app_client.get("/api/v1/agent/queue", headers=agent)).status_code == 200
    # Agents do not administer.
    refused = await app_client.get(f"{ADMIN}/users/", headers=agent)
    assert (refused.status_code, refused.json()["code"]) == (403, "not_an_admin")

    disabled = await app_client.patch(
        f"{ADMIN}/users/{agent_id}", headers=owner, json={"active": False}
    )
    assert disabled.json()["active"] is False
    locked = await app_client.get("/api/v1/agent/queue", headers=agent)
    assert (locked.status_code, locked.json()["code"]) == (401, "account_disabled")
    relogin = await app_client.post(
        "/api/v1/auth/login",
        json={"email": "new.agent@example.com", "password": "agent password 1"},
    )
    assert relogin.status_code == 401

    emails = [u["email"] for u in (await app_client.get(f"{ADMIN}/users/", headers=owner)).json()]
    assert "new.agent@example.com" in emails
    actions = await audit_actions(app_client, owner)
    assert actions[:2] == ["user.update", "user.create"]


async def test_only_owners_make_owners_and_nobody_locks_themselves_out(app_client):
    admin = await staff(app_client, "admin")
    resp = await app_client.post(
        f"{ADMIN}/users/",
        headers=admin,
        json={"email": "boss@example.com", "password": "a long password", "role": "owner"},
    )
    assert (resp.status_code, resp.json()["code"]) == (403, "owner_only")
    me = [
        u
        for u in (await app_client.get(f"{ADMIN}/users/", headers=admin)).json()
        if u["role"] == "admin"
    ][0]
    resp = await app_client.patch(
        f"{ADMIN}/users/{me['id']}", headers=admin, json={"active": False}
    )
    assert (resp.status_code, resp.json()["code"]) == (409, "cannot_change_self")
    taken = await app_client.post(
        f"{ADMIN}/users/",
        headers=admin,
        json={"email": me["email"], "password": "a long password", "role": "agent"},
    )
    assert (taken.status_code, taken.json()["code"]) == (409, "email_taken")


async def test_api_keys_are_shown_once_stored_hashed_scoped_and_revocable(app_client):
    owner = await staff(app_client)
    created = await app_client.post(
        f"{ADMIN}/api-keys/", headers=owner, json={"name": "crm", "scopes": ["kb:read"]}
    )
    key = created.json()["key"]
    assert key.startswith("kefu_")
    rows = await ApiKey.select(ApiKey.key_hash, ApiKey.prefix)
    assert all(key not in json.dumps(r, default=str) for r in rows)  # only a hash is kept
    listed = (await app_client.get(f"{ADMIN}/api-keys/", headers=owner)).json()
    assert "key" not in listed[0] and key.startswith(f"kefu_{listed[0]['prefix']}_")

    as_key = {"Authorization": f"Bearer {key}"}
    assert (await app_client.get(f"{ADMIN}/kb/documents", headers=as_key)).status_code == 200
    also = await app_client.get(f"{ADMIN}/kb/documents", headers={"X-API-Key": key})
    assert also.status_code == 200
    write = await app_client.post(
        f"{ADMIN}/kb/documents", headers=as_key, json={"title": "t", "content": "c"}
    )
    assert (write.status_code, write.json()["code"]) == (403, "insufficient_scope")
    # Keys never manage people or other keys, whatever they ask for.
    bad = await app_client.post(
        f"{ADMIN}/api-keys/", headers=owner, json={"name": "x", "scopes": ["users:write"]}
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_scope")
    full = await api_key(app_client, owner, list(API_KEY_SCOPES))
    assert (await app_client.get(f"{ADMIN}/users/", headers=full)).status_code == 403

    revoked = await app_client.delete(f"{ADMIN}/api-keys/{created.json()['id']}", headers=owner)
    assert revoked.json()["revoked_at"] is not None
    after = await app_client.get(f"{ADMIN}/kb/documents", headers=as_key)
    assert (after.status_code, after.json()["code"]) == (401, "api_key_revoked")
    forged = await app_client.get(
        f"{ADMIN}/kb/documents", headers={"Authorization": f"Bearer {key[:-4]}AAAA"}
    )
    assert (forged.status_code, forged.json()["code"]) == (401, "invalid_api_key")


async def test_knowledge_base_documents_change_what_the_bot_answers(app_client):
    owner = await staff(app_client)
    added = await app_client.post(
        f"{ADMIN}/kb/documents",
        headers=owner,
        json={
            "title": "Gift wrapping",
            "content": "# Gift wrapping\n\nGift wrapping costs $4 per parcel and includes a card.",
            "source": "gift-wrapping.md",
        },
    )
    assert added.status_code == 201, added.text
    doc = added.json()
    assert doc["chunks"] >= 1 and doc["changed"] is True
    preview = (
        await app_client.get(
            f"{ADMIN}/kb/search", headers=owner, params={"q": "gift wrapping price"}
        )
    ).json()
    assert preview["hits"][0]["document_id"] == doc["id"] and preview["hits"][0]["grounded"]

    cid, visitor = await start(app_client)
    await say(app_client, cid, visitor, "How much is gift wrapping?")
    answer = (await wait_for_messages(app_client, cid, visitor, 2))[-1]
    assert "$4" in answer["content"]

    upload = await app_client.post(
        f"{ADMIN}/kb/upload",
        headers=owner,
        files={"file": ("returns-extra.md", b"# Late returns\n\nLate returns cost a fee of $9.")},
    )
    assert upload.status_code == 201, upload.text
    refused = await app_client.post(
        f"{ADMIN}/kb/upload", headers=owner, files={"file": ("virus.exe", b"MZ\x90\x00")}
    )
    assert (refused.status_code, refused.json()["code"]) == (415, "unsupported_document")
    broken = await app_client.post(
        f"{ADMIN}/kb/upload", headers=owner, files={"file": ("broken.pdf", b"%PDF-1.4 garbage")}
    )
    assert broken.status_code == 422

    titles = [
        d["title"] for d in (await app_client.get(f"{ADMIN}/kb/documents", headers=owner)).json()
    ]
    assert {"Gift wrapping", "Late returns"} <= set(titles)
    reindexed = await app_client.post(f"{ADMIN}/kb/reindex", headers=owner)
    assert reindexed.json()["chunks"] >= len(titles)
    assert (
        await app_client.delete(f"{ADMIN}/kb/documents/{doc['id']}", headers=owner)
    ).status_code == 204
    gone = await app_client.get(f"{ADMIN}/kb/documents/{doc['id']}", headers=owner)
    assert (gone.status_code, gone.json()["code"]) == (404, "document_not_found")
    after = (
        await app_client.get(
            f"{ADMIN}/kb/search", headers=owner, params={"q": "gift wrapping price"}
        )
    ).json()
    assert all(h["document_id"] != doc["id"] for h in after["hits"])
    assert {"kb.add", "kb.upload", "kb.reindex", "kb.delete"} <= set(
        await audit_actions(app_client, owner)
    )


async def test_the_business_own_name_is_no_unknown_name(app_client):
    """Visitors name the shop ("Does Acme gift wrap?") though its FAQ may never write it."""
    await new_tenant(app_client, "acme")
    owner = await staff(app_client, "owner", "acme")
    added = await app_client.post(
        f"{ADMIN}/kb/documents",
        headers=owner,
        json={"title": "Help", "source": "help.md",
              "content": "## Gift wrapping\n\nWe gift wrap any order for $3."},
    )  # fmt: skip
    assert added.status_code == 201, added.text

    async def play(question: str) -> dict:
        return (
            await app_client.post(
                f"{ADMIN}/kb/playground", headers=owner, json={"question": question}
            )
        ).json()

    assert (await play("Does Acme gift wrap orders?"))["outcome"] == "answer"
    assert (await play("Does Acme gift wrap orders with Giftmaster paper?"))["unknown_names"] == [
        "Giftmaster"
    ]


async def test_an_owner_reads_a_documents_passages_and_edits_it(app_client):
    owner = await staff(app_client)
    doc = (
        await app_client.post(
            f"{ADMIN}/kb/documents",
            headers=owner,
            json={"title": "Gift wrapping", "source": "wrap.md",
                  "content": "## Gift wrapping\n\nGift wrapping costs $4 per parcel."},
        )
    ).json()  # fmt: skip
    assert doc["status"] == "ready"
    passages = await app_client.get(f"{ADMIN}/kb/documents/{doc['id']}/passages", headers=owner)
    [passage] = passages.json()
    assert passage["heading"].endswith("Gift wrapping") and "$4" in passage["text"]

    edited = await app_client.put(
        f"{ADMIN}/kb/documents/{doc['id']}",
        headers=owner,
        json={"title": "Gift wrapping", "content": "## Gift wrapping\n\nGift wrapping is free.\n\n"
              "## Gift cards\n\nGift cards come in $25 and $50."},
    )  # fmt: skip
    assert edited.status_code == 200, edited.text
    assert edited.json()["id"] == doc["id"] and edited.json()["chunks"] == 2
    texts = [
        p["text"]
        for p in (
            await app_client.get(f"{ADMIN}/kb/documents/{doc['id']}/passages", headers=owner)
        ).json()
    ]
    assert texts == ["Gift wrapping is free.", "Gift cards come in $25 and $50."]
    play = await app_client.post(
        f"{ADMIN}/kb/playground",
        headers=owner,
        json={"question": "Do you charge for gift wrapping?"},
    )
    assert "free" in play.json()["answer"]
    unnamed = await app_client.post(
        f"{ADMIN}/kb/playground",
        headers=owner,
        json={"question": "Can I pay for gift wrapping with Bitcoin?"},
    )
    assert (unnamed.json()["outcome"], unnamed.json()["reason"]) == ("decline", "unknown_name")
    assert unnamed.json()["unknown_names"] == ["Bitcoin"]
    # Beside another ask, the other is answered, and the answer says what went unanswered.
    both = await app_client.post(
        f"{ADMIN}/kb/playground",
        headers=owner,
        json={"question": "Can I pay with Bitcoin? Do you charge for gift wrapping?"},
    )
    assert (both.json()["outcome"], both.json()["unknown_names"]) == ("answer", ["Bitcoin"])
    assert "free" in both.json()["answer"]
    assert both.json()["answer"].endswith(NOT_FOUND_ABOUT["en"].format(names="Bitcoin"))
    assert "Bitcoin" in both.json()["explanation"]
    # … and the passage the answer stands on is shown as grounding it, as for any answer
    assert [p["heading"] for p in both.json()["passages"] if p["grounded"]] == [
        p["heading"] for p in play.json()["passages"] if p["grounded"]
    ]
    assert any(p["grounded"] for p in both.json()["passages"])
    docs = (await app_client.get(f"{ADMIN}/kb/documents", headers=owner)).json()
    assert sum(d["source"] == "wrap.md" for d in docs) == 1  # edited in place, not added
    for method, path in (("put", ""), ("get", "/passages")):
        missing = await getattr(app_client, method)(
            f"{ADMIN}/kb/documents/00000000-0000-0000-0000-000000000000{path}",
            headers=owner,
            **({"json": {"title": "x", "content": "y"}} if method == "put" else {}),
        )
        assert (missing.status_code, missing.json()["code"]) == (404, "document_not_found")
    assert "kb.edit" in await audit_actions(app_client, owner)


async def test_settings_are_validated_stored_and_used_by_the_bot(app_client):
    owner = await staff(app_client)
    settings = {
        "persona": "You are Mia from the demo shop.",
        "handoff": {"phrases": ["speak to the manager"], "ungrounded_limit": 3},
        "model": {"temperature": 0.5, "max_tokens": 300},
        "widget": {"title": "Demo help", "color": "#112233", "position": "left"},
        "retention_days": 90,
    }
    put = await app_client.put(f"{ADMIN}/settings/", headers=owner, json=settings)
    assert put.status_code == 200, put.text
    stored = (await app_client.get(f"{ADMIN}/settings/", headers=owner)).json()
    assert stored["widget_key"] == "demo"
    assert stored["settings"]["widget"]["color"] == "#112233"
    assert stored["settings"]["handoff"]["phrases"] == ["speak to the manager"]
    for bad in (
        {"handoff": {"business_hours": {"timezone": "Mars/Olympus"}}},
        {"widget": {"color": "red"}},
        {"retention_days": -1},
        {"allowed_origins": ["javascript:alert(1)"]},
        {"no_such_setting": True},
    ):
        resp = await app_client.put(f"{ADMIN}/settings/", headers=owner, json=bad)
        assert (resp.status_code, resp.json()["code"]) == (400, "invalid_body"), bad
    assert (await app_client.get(f"{ADMIN}/settings/", headers=owner)).json() == stored

    cid, visitor = await start(app_client)
    await say(app_client, cid, visitor, "I want to speak to the manager please")
    for _ in range(50):
        transcript = (await app_client.get(f"{ADMIN}/conversations/{cid}", headers=owner)).json()
        if transcript["conversation"]["status"] != "bot":
            break
        await asyncio.sleep(0.05)
    assert transcript["conversation"]["status"] == "queued"
    assert transcript["conversation"]["handoff_reason"] == "tenant_rule"


async def test_conversations_can_be_found_read_and_exported(app_client):
    owner = await staff(app_client)
    cid, visitor = await start(app_client)
    await say(app_client, cid, visitor, "Do you ship pineapples to Reykjavik?")
    await wait_for_messages(app_client, cid, visitor, 2)
    other, other_visitor = await start(app_client)
    await say(app_client, other, other_visitor, "What payment methods do you accept?")

    found = (
        await app_client.get(f"{ADMIN}/conversations/", headers=owner, params={"q": "pineapple"})
    ).json()
    assert [c["conversation_id"] for c in found] == [cid]
    closed = (
        await app_client.get(f"{ADMIN}/conversations/", headers=owner, params={"status": "closed"})
    ).json()
    assert cid not in [c["conversation_id"] for c in closed]
    transcript = (await app_client.get(f"{ADMIN}/conversations/{cid}", headers=owner)).json()
    assert [m["role"] for m in transcript["messages"]] == ["visitor", "bot"]

    jsonl = await app_client.get(f"{ADMIN}/conversations/export.jsonl", headers=owner)
    lines = [json.loads(line) for line in jsonl.text.splitlines()]
    exported = {line["conversation"]["conversation_id"]: line for line in lines}
    assert {cid, other} <= set(exported)
    assert "pineapples" in exported[cid]["messages"][0]["content"]
    as_csv = await app_client.get(
        f"{ADMIN}/conversations/export.csv", headers=owner, params={"q": "pineapple"}
    )
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert {r["conversation_id"] for r in rows} == {cid}
    assert rows[0]["role"] == "visitor" and "Reykjavik" in rows[0]["content"]
    assert "conversations.export" in await audit_actions(app_client, owner)


async def test_a_superadmin_runs_tenants_and_a_disabled_tenant_is_shut(app_client):
    root = await superadmin(app_client)
    acme = await new_tenant(app_client, "acme")
    assert acme["widget_key"].startswith("wk_") and acme["active"]
    dup = await app_client.post(
        f"{ADMIN}/tenants/", headers=root, json={"name": "Again", "slug": "acme"}
    )
    assert (dup.status_code, dup.json()["code"]) == (409, "slug_taken")
    owner = await staff(app_client, "owner", "acme")
    denied = await app_client.get(f"{ADMIN}/tenants/", headers=owner)
    assert (denied.status_code, denied.json()["code"]) == (403, "superadmin_only")
    # A superadmin acts inside a tenant by naming it.
    need = await app_client.get(f"{ADMIN}/users/", headers=root)
    assert (need.status_code, need.json()["code"]) == (400, "tenant_required")
    inside = await app_client.get(f"{ADMIN}/users/", headers={**root, "X-Kefu-Tenant": acme["id"]})
    assert [u["role"] for u in inside.json()] == ["owner"]

    assert (await start(app_client, acme["widget_key"]))[0]
    off = await app_client.patch(
        f"{ADMIN}/tenants/{acme['id']}", headers=root, json={"active": False}
    )
    assert off.json()["active"] is False
    refused = await app_client.post(
        "/api/v1/visitor/conversations", json={"widget_key": acme["widget_key"]}
    )
    assert (refused.status_code, refused.json()["code"]) == (404, "unknown_widget_key")
    shut = await app_client.get(f"{ADMIN}/users/", headers=owner)
    assert (shut.status_code, shut.json()["code"]) == (403, "tenant_disabled")
    platform = await app_client.get(f"{ADMIN}/audit/", headers=root)
    assert platform.status_code == 200
