"""Queries written in raw SQL, on Postgres: the owner's analytics (its dialect differs from
SQLite's in how a timestamp becomes a local day, weekday, hour or duration), conversation
ratings, agents' lists with previews and labels — the same checks as on embedded SQLite."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import msgspec
import pytest

from tests.conftest import prepared
from tests.pg import PG_SERVER, pg_admin
from tests.unit import test_owner_analytics as on_sqlite


@pytest.fixture
async def pg_client(pg_settings) -> AsyncIterator:
    from litestar.testing import AsyncTestClient

    from functions.all import create_app

    # A database of its own (the session's is shared with tests whose conversations would be
    # counted here); many visitors from one address in a minute, with a Valkey shared by the
    # session's tests: the per-address limits are not what these tests are about.
    name = f"kefu_dialect_{uuid.uuid4().hex[:10]}"
    pg_admin(f'CREATE DATABASE "{name}"')
    settings = msgspec.structs.replace(
        pg_settings, rate_limits=False, database_url=f"{PG_SERVER}/{name}"
    )
    await prepared(settings)
    try:
        async with AsyncTestClient(app=create_app(settings)) as client:
            yield client
    finally:
        pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def test_the_days_numbers_count_what_happened_on_postgres(pg_client):
    await on_sqlite.test_the_days_numbers_count_what_happened(pg_client)


async def test_unanswered_questions_are_grouped_and_answered_on_postgres(pg_client):
    await on_sqlite.test_an_unanswered_question_is_grouped_answered_in_one_step_and_then_answered(
        pg_client
    )


async def test_conversation_ratings_on_postgres(pg_client):
    from tests.unit import test_answer_ratings

    await test_answer_ratings.test_a_visitor_rates_a_closed_conversation_and_the_owner_reads_it(
        pg_client
    )


async def test_agents_lists_on_postgres(pg_client):
    from tests.unit import test_agent_tools

    await test_agent_tools.test_lists_show_previews_labels_and_closed_conversations(pg_client)
    await test_agent_tools.test_notes_are_for_agents_only_and_labels_are_a_set(pg_client)


async def test_message_search_on_postgres(pg_client):
    from tests.unit import test_search

    await test_search.test_search_finds_words_in_any_form_and_language(pg_client)
    await test_search.test_a_message_is_found_right_after_it_is_sent(pg_client)
    await test_search.test_traditional_and_simplified_chinese_find_each_other(pg_client)


async def test_automatic_assignment_on_postgres(pg_client):
    from tests.unit import test_assignment

    await test_assignment.test_two_visitors_go_to_two_agents_and_the_third_waits_for_room(pg_client)
