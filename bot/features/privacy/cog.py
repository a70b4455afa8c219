"""/privacy show and /privacy forget-me (after a confirmation button)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Sequence
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot import render
from bot.answer import in_time
from bot.errors import answer_error, describe
from bot.i18n_text import locale_of, text
from bot.store.members import Held, MemberStore

COG = "Privacy"


def describe_held(held: Sequence[Held], locale: str) -> str:
    """One line per kind of data held: `• 12 saved papers (…)`."""
    return "\n".join(f"• {text(locale, f'privacy_{h.table}', count=h.count)}" for h in held)


def _store_of(client: discord.Client) -> MemberStore | None:
    cog = client.get_cog(COG) if isinstance(client, commands.Bot) else None
    found = getattr(cog, "members", None)
    return found if isinstance(found, MemberStore) else None


class Privacy(commands.Cog, name=COG):
    """What is stored about the member who asks, and forgetting it."""

    privacy = app_commands.Group(
        name=_("privacy"), description=_("What papers-bot stores about you")
    )

    def __init__(self, members: MemberStore) -> None:
        self.members = members  # found again by the confirmation's buttons

    @privacy.command(name=_("show"), description=_("List what is stored about you"))
    async def show(self, interaction: discord.Interaction) -> None:
        """List what is stored about you"""
        locale = locale_of(interaction)
        held = await self.members.held(interaction.user.id)
        embed = discord.Embed(
            title=text(locale, "privacy_title"),
            description=describe_held(held, locale) or text(locale, "privacy_nothing"),
            color=render.COLOR,
        )
        embed.set_footer(text=text(locale, "privacy_footer"))
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @privacy.command(name=_("forget-me"), description=_("Delete everything stored about you"))
    async def forget_me(self, interaction: discord.Interaction) -> None:
        """Delete everything stored about you"""
        locale = locale_of(interaction)
        held = await self.members.held(interaction.user.id)
        if not held:
            await interaction.response.send_message(text(locale, "forget_nothing"), ephemeral=True)
            return
        await interaction.response.send_message(
            text(locale, "forget_confirm", what=describe_held(held, locale)),
            view=confirmation(interaction.user.id, locale),
            ephemeral=True,
        )


def confirmation(member_id: int, locale: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(
        discord.ui.Button(
            custom_id=f"privacy:forget:{member_id}",
            label=text(locale, "forget_button"),
            style=discord.ButtonStyle.danger,
        )
    )
    view.add_item(
        discord.ui.Button(
            custom_id="privacy:keep",
            label=text(locale, "forget_keep"),
            style=discord.ButtonStyle.secondary,
        )
    )
    view.stop()  # only rendered: presses come back through ForgetConfirm and ForgetKeep
    return view


async def _answering(interaction: discord.Interaction, work: Awaitable[None]) -> None:
    async with in_time(interaction, ephemeral=lambda: True, update=True):
        try:
            await work
        except Exception as error:
            await answer_error(interaction, describe(interaction, error))


class ForgetConfirm(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"privacy:forget:(?P<member>\d+)"
):
    """Delete everything: only for the member who asked (the id is in the button)."""

    def __init__(self, item: discord.ui.Button[Any], member_id: int) -> None:
        super().__init__(item)
        self.member_id = member_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ForgetConfirm:
        if not isinstance(item, discord.ui.Button):
            raise TypeError(f"{item.custom_id!r} is not a button")  # type: ignore[attr-defined]
        return cls(item, int(match["member"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await _answering(interaction, self._forget(interaction))

    async def _forget(self, interaction: discord.Interaction) -> None:
        locale = str(interaction.locale)
        if interaction.user.id != self.member_id:
            await interaction.response.send_message(
                text(locale, "forget_not_yours"), ephemeral=True
            )
            return
        store = _store_of(interaction.client)
        if store is None:
            raise RuntimeError("the privacy feature is not loaded")
        gone = await store.forget(self.member_id)
        await interaction.response.edit_message(
            content=text(locale, "forget_done", what=describe_held(gone, locale)), view=None
        )


class ForgetKeep(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"privacy:keep"):
    """Keep it: nothing is deleted, the question goes."""

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ForgetKeep:
        if not isinstance(item, discord.ui.Button):
            raise TypeError(f"{item.custom_id!r} is not a button")  # type: ignore[attr-defined]
        return cls(item)

    async def callback(self, interaction: discord.Interaction) -> None:
        await _answering(interaction, self._keep(interaction))

    async def _keep(self, interaction: discord.Interaction) -> None:
        text_ = text(str(interaction.locale), "forget_kept")
        await interaction.response.edit_message(content=text_, view=None)


PRIVACY_ITEMS = (ForgetConfirm, ForgetKeep)
