"""Stored post plans: the messages a daily post will send, kept from its claim until it is
done so that a resumed post finishes what it started (bot/features/daily/plan.py encodes them)."""

from __future__ import annotations

import hashlib

from bot.store.writes import OnWriter


class PostPlans(OnWriter):
    """post_plans rows, shared by unfinished posts with the same plan (keyed by its hash)."""

    async def _plan_to_follow(self, channel_id: int, day: str, plan: bytes, planned: int) -> bytes:
        """The plan a claimed post must follow: the stored one, else `plan`, now stored.
        (A post left unfinished before plans were stored has none and adopts `plan`.)"""
        rows = await self._rows(
            "SELECT b.body FROM posts p JOIN post_plans b ON b.id = p.plan_id "
            "WHERE p.channel_id = ? AND p.day = ?",
            (channel_id, day),
        )
        if rows:
            return bytes(rows[0][0])
        key = hashlib.blake2b(plan, digest_size=16).digest()
        await self._write_in_tx(
            "INSERT INTO post_plans (key, body) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
            (key, plan),
        )
        await self._write_in_tx(
            "UPDATE posts SET plan_id = (SELECT id FROM post_plans WHERE key = ?), planned = ? "
            "WHERE channel_id = ? AND day = ?",
            (key, planned, channel_id, day),
        )
        return plan

    async def _drop_plan(self, channel_id: int, day: str) -> None:
        """Detach a post's plan, deleting it unless another unfinished post shares it."""
        rows = await self._rows(
            "SELECT plan_id FROM posts WHERE channel_id = ? AND day = ? AND plan_id IS NOT NULL",
            (channel_id, day),
        )
        if not rows:
            return
        await self._write_in_tx(
            "UPDATE posts SET plan_id = NULL WHERE channel_id = ? AND day = ?", (channel_id, day)
        )
        await self._write_in_tx(
            "DELETE FROM post_plans WHERE id = ?1 "
            "AND NOT EXISTS (SELECT 1 FROM posts WHERE plan_id = ?1)",
            (rows[0][0],),
        )
