"""Every user-facing string, in English and Korean: one table per language for rendered
embeds and messages (`TEXT`), one for the slash commands' names, descriptions and choices
(`COMMANDS`, read by bot/translator.py when the command tree syncs).

Rendered strings are looked up with `text(locale, key, **values)`; an unknown locale (or a
Discord locale such as `en-US`/`ko`) falls back to its language, then to English. Command
strings are written in English where the commands are declared; `COMMANDS[lang]` maps each to
its translation. A language is added by adding it to both tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import discord

DEFAULT_LOCALE: Final = "en"

TEXT: Final[dict[str, dict[str, str]]] = {
    "en": {
        "authors": "Authors",
        "votes": "Votes",
        "featured": "Featured",
        "links": "Links",
        "video": "Video",
        "watch_video": "Watch the video",
        "hf": "Hugging Face",
        "read_full": "Read the full summary",
        "no_summary": "No summary.",
        "more_authors": "… +{count} more",
        "results": "Results {start}–{end} of {total} for {query}",
        "range": "{start}–{end} of {total}",
        "no_results": "No results for {query}",
        "daily_title": "Daily Papers — {day}",
        "paper_count": "{count} papers",
        "paper_count_one": "1 paper",
        "source": "Source",
        "no_papers": "No papers this day.",
        "previous": "Previous",
        "next": "Next",
        "open_paper": "Open one of these papers…",
        "not_your_buttons": "Only the member who ran the command can use these buttons.",
        "gone": "That paper is no longer available. Run the command again for fresh results.",
        "results_expired": "These results have expired. Run the command again to see them.",
        "err_permissions": "You need the Manage Server permission for this.",
        "err_guild_only": "This command works in servers only.",
        "err_check": "You cannot use this command here.",
        "err_cooldown": "Slow down a little: try again in {seconds} s.",
        "err_unexpected": "Something went wrong on our side (error `{code}`). "
        "Please try again; if it keeps happening, tell the server admins that code.",
        "err_date": "`{value}` is not a date. Use YYYY-MM-DD, e.g. 2025-05-09.",
        "err_busy": "The database is busy right now (another process is writing to it). "
        "Try again in a moment.",
        "err_slow": "That took longer than {seconds} seconds, so it was stopped. "
        "Try more specific words or a shorter period.",
        "err_time": "`{value}` is not a time. Use HH:MM, 24-hour, e.g. 09:00 or 18:30.",
        "err_timezone": "`{value}` is not a timezone. Use an IANA name "
        "such as Asia/Seoul, Europe/Berlin or UTC.",
        "err_no_paper": "No paper matches `{query}`. Try an arXiv id such as 2505.03011, "
        "a link, or `/search {query}`.",
        "err_no_results": "Nothing found for `{query}`. Try fewer or other words, "
        "English or Korean, or a wider date range.",
        "err_no_digest_day": "There is no digest for {day}. "
        "Start typing a date in `/digest` to see the days there are.",
        "err_no_digests": "No digests are loaded yet.",
        "err_no_author": "No author matches `{name}`. Try the family name only.",
        "period_day": "Top papers of the newest day",
        "period_week": "Top papers of the last 7 days",
        "period_month": "Top papers of the last 30 days",
        "period_year": "Top papers of the last 365 days",
        "period_all": "Top papers of all time",
        "help_title": "papers-bot",
        "help_body": "Hugging Face Daily Papers, summarized in Korean, searchable here.\n\n"
        "`/paper` one paper by arXiv id, link or title\n"
        "`/search` keywords in Korean or English, with dates and sorting\n"
        "`/digest` one day's digest as published\n"
        "`/top` most-voted papers of a period\n"
        "`/author` papers by an author\n"
        "`/random` a random paper\n"
        "`/daily` post the digest in a channel every day (Manage Server)\n"
        "`/follow` a direct message when a new digest has papers with your words or authors\n\n"
        "Add `ephemeral: True` to any lookup to see the answer alone.",
        "daily_subscribed": "Subscribed {channel}: the digest is posted every day at {time} "
        "({tz}). Next post: {next}.",
        "daily_unsubscribed": "{channel} no longer gets the daily digest.",
        "daily_not_subscribed": "{channel} was not subscribed.",
        "daily_none": "No channel in this server gets the daily digest. "
        "Use `/daily subscribe` to add one.",
        "daily_status_title": "Daily digest posts",
        "daily_schedule": "Every day at {time} ({tz}), style {style}",
        "daily_next": "Next post: {next}",
        "daily_last": "Last digest: {day} ({status}, {sent}/{planned} messages)",
        "daily_paused": "⏸️ Paused: {reason}. Fix the channel permissions, then subscribe again.",
        "daily_error": "⚠️ Last error ({failures}×): {reason}",
        "daily_sources": "**Digest sources**",
        "daily_sources_more": "… and {count} more",
        "daily_preview_more": "… and {count} more messages.",
        "daily_posted": "Posted the digest of {day} in {channel} ({sent} messages).",
        "daily_already": "The digest of {day} was already posted in {channel}. "
        "Use `force: True` to post it again.",
        "daily_busy": "The digest of {day} is being posted in {channel} right now.",
        "daily_busy_elsewhere": "Another bot process is posting the digest of {day} in "
        "{channel} right now.",
        "daily_stalled_failed": "⚠️ Stalled: {reason}. The next tick retries it.",
        "daily_stalled_gone": "⚠️ Stalled: the bot process posting it stopped {since}. "
        "The next tick resumes it.",
        "daily_failed": "Could not post in {channel}: {reason}",
        "daily_other_guild": "You can only manage channels of this server.",
        "daily_missing_perms": "⚠️ I cannot send messages with embeds in {channel} yet: "
        "give me Send Messages and Embed Links there.",
        "daily_last_built": "Built from Hugging Face: the Korean digest of {day} was not out "
        "by {deadline}.",
        "daily_days": "**Recent days**",
        "daily_day_korean": "{day}: Korean digest, {papers} papers",
        "daily_day_mixed": "{day}: Korean digest and Hugging Face, {papers} papers",
        "daily_day_built": "{day}: built from Hugging Face, {papers} papers",
        # enrichment (bot/render/enriched.py)
        "abstract": "Abstract",
        "read_abstract": "Read the abstract",
        "hf_upvotes": "Upvotes on Hugging Face",
        "github_stars": "GitHub stars",
        "code": "Code",
        "project": "Project",
        # waiting for a complete built day (bot/features/daily/cog.py)
        "daily_waiting_complete": "Waiting for Hugging Face's list of {day} to complete: "
        "posted after {at}, once built again then.",
        # the next post of a day built from Hugging Face (bot/features/daily/cog.py)
        "daily_built_next": "🤗 {day} comes from Hugging Face (its Korean digest was not out "
        "by {deadline}): the whole day as Hugging Face lists it is posted at {local}, {at}.",
        "daily_built_late": "⏳ {day} from Hugging Face was due at {local}, {at}: it is posted "
        "as soon as Hugging Face's complete list of it is built.",
        # /follow and its alerts
        "follow_added_keyword": "Following the words `{query}`: when a new digest has papers "
        "that `/search {query}` would find, I send you a direct message. ({count}/{most} follows)",
        "follow_added_author": "Following the author `{query}`: when a new digest has papers "
        "that `/author {query}` would find, I send you a direct message. ({count}/{most} follows)",
        "follow_exists": "You already follow `{query}`.",
        "follow_full": "You already have {most} follows, the most a member can have. "
        "Remove one with `/follow remove` first.",
        "follow_too_long": "That is {length} characters; a follow can have at most {most}.",
        "follow_no_words": "`{query}` has no words to look for. Type words in Korean or English, "
        'or a "phrase" in quotes.',
        "follow_no_name": "`{query}` is not a name. Type all or part of an author's name.",
        "follow_removed": "You no longer follow {follow}.",
        "follow_not_found": "You do not follow `{query}`. "
        "Start typing to pick one of your follows.",
        "follow_none": "You follow nothing yet. Use `/follow keyword` or `/follow author`.",
        "follow_list_title": "Your follows ({count}/{most})",
        "follow_keyword": "words `{query}`",
        "follow_author": "author `{query}`",
        "follow_status_title": "Your alerts",
        "follow_status_where": "Alerts go to your direct messages with me: one message per new "
        "digest day that has papers matching your follows ({count} follows).",
        "follow_status_last": "Last alert: {day}, {papers} papers in {sent}/{planned} messages "
        "({status}).",
        "follow_status_sent_at": "Sent {when}.",
        "follow_status_never": "No alert yet: the next digest with matching papers brings one.",
        "follow_problem_closed": "⚠️ I could not send you the alert of {day}: Discord says your "
        "direct messages are closed to me. To get alerts, allow direct messages from server "
        "members (the server's menu ▸ Privacy Settings ▸ Direct Messages). I will try again "
        "with the next digest.",
        "follow_problem_gone": "⚠️ The alert of {day} was not sent: you share no server with "
        "me any more. I will try again with the next digest.",
        "alert_header": "📬 **Your follows** · Daily Papers {day}: {count} matching papers",
        "alert_header_one": "📬 **Your follows** · Daily Papers {day}: 1 matching paper",
        "alert_more": "📬 Your follows, continued ({part}/{parts})",
        "alert_matched": "Matched",
        "alert_by_keyword": "words `{query}`",
        "alert_by_author": "author `{query}`",
        # saved papers, papers from a message, privacy (bot/cards.py, bot/features/saved/,
        # bot/features/privacy/)
        "save": "Save",
        "save_pick": "Save one of these…",
        "save_n": "Save {n}",
        "saved_added": "🔖 Saved · {papers} in your list\n{title}",
        "saved_already": "🔖 Already in your list · {papers}\n{title}",
        "saved_full": "Your list is full: it holds at most {limit} papers. Remove some with "
        "`/saved remove` (export the list first with `/saved export` to keep it), then save "
        "again.",
        "saved_undo": "Undo",
        "saved_undone": "Removed from your list · {papers}\n{title}",
        "saved_gone": "arXiv:{id} is not in the digests any more, so it cannot be saved.",
        "saved_list_title": "Your saved papers",
        "saved_empty": "Your list is empty. Press 🔖 Save on a paper card (`/paper`, "
        "`/search`, the daily post) to add one.",
        "saved_removed": "Removed from your list · {papers} left\n{title}",
        "saved_not_in_list": "`{query}` is not in your saved papers. Start typing in the "
        "`paper` option to pick one of yours.",
        "saved_exported": "Your saved papers ({papers}) as {format}: `{file}`.",
        "papers_none": "no papers",
        "find_none": "No arXiv ids or arXiv / Hugging Face paper links in this message.",
        "find_found": "Papers in this message: {papers}.",
        "find_outside": "Outside the digests (not loaded in this bot), on arXiv:",
        "find_more": "… and {count} more ids, not shown.",
        "privacy_title": "What papers-bot stores about you",
        "privacy_nothing": "Nothing: papers-bot stores no data about you.",
        "privacy_footer": "`/privacy forget-me` deletes all of it. Papers and digests are public "
        "data; the logs name interactions and error codes, not members.",
        "privacy_saved_papers": "Saved papers: {count} (the arXiv id and when you saved it), "
        "for `/saved`",
        "privacy_subscriptions": "Daily-post subscriptions you set up: {count} (your member "
        "id is kept with each as who set it up; the channel's posts go on without it)",
        "privacy_members": "Your member record (language, first seen), which your other data "
        "is kept under",
        "privacy_alert_messages": "Alert messages sent to you: {count} (their message ids, so "
        "an alert is never sent twice)",
        "privacy_alerts": "Daily alerts: {count} (the day, how many papers and messages, "
        "whether it was delivered)",
        "privacy_follows": "Follows: {count} (the words or author names), for `/follow`",
        "privacy_follow_guilds": "Servers you used `/follow` in: {count} (alerts go only while "
        "you share one with the bot)",
        "privacy_follow_members": "Where your alerts go: {count} (your DM channel with the bot, "
        "your language, any delivery problem)",
        "forget_confirm": "Delete everything papers-bot stores about you?\n{what}\n"
        "This cannot be undone.",
        "forget_button": "Delete everything",
        "forget_keep": "Keep it",
        "forget_done": "Deleted. papers-bot stores nothing about you now.\n{what}",
        "forget_kept": "Nothing was deleted.",
        "forget_nothing": "papers-bot stores nothing about you: there is nothing to delete.",
        "forget_not_yours": "Only the member who asked can confirm this.",
        "daily_enrich": "**Enrichment from Hugging Face** ({since} – {until})",
        "daily_enrich_counts": "{found} of {papers} papers enriched, {missing} unknown to "
        "Hugging Face",
        "daily_enrich_failed": "⚠️ The last pass failed {at}: {reason}",
        "daily_ko": "**Korean summaries** (days built from Hugging Face)",
        "daily_ko_day": "{day}: {korean} of {papers} papers in Korean",
        "daily_ko_failing": "; {gave_up} kept in English after {max} failed attempts, "
        "{waiting} to be asked again",
        "daily_ko_last": "Last failure {at}, {paper}: {reason}",
    },
    "ko": {
        "authors": "저자",
        "votes": "추천",
        "featured": "소개된 날",
        "links": "링크",
        "video": "동영상",
        "watch_video": "동영상 보기",
        "hf": "Hugging Face",
        "read_full": "전체 요약 보기",
        "no_summary": "요약이 없습니다.",
        "more_authors": "외 {count}명",
        "results": "{query} 결과 {total}개 중 {start}–{end}",
        "range": "{total}개 중 {start}–{end}",
        "no_results": "{query} 결과가 없습니다",
        "daily_title": "Daily Papers — {day}",
        "paper_count": "논문 {count}편",
        "paper_count_one": "논문 1편",
        "source": "원문",
        "no_papers": "이 날은 소개된 논문이 없습니다.",
        "previous": "이전",
        "next": "다음",
        "open_paper": "논문 하나 열기…",
        "not_your_buttons": "명령을 실행한 사람만 이 버튼을 쓸 수 있습니다.",
        "gone": "그 논문은 더 이상 없습니다. 명령을 다시 실행하면 새 결과를 볼 수 있습니다.",
        "results_expired": "이 결과는 만료되었습니다. 명령을 다시 실행하면 넘겨 볼 수 있습니다.",
        "err_permissions": "이 명령에는 서버 관리 권한이 필요합니다.",
        "err_guild_only": "이 명령은 서버에서만 쓸 수 있습니다.",
        "err_check": "여기서는 이 명령을 쓸 수 없습니다.",
        "err_cooldown": "조금 천천히: {seconds}초 뒤에 다시 시도해 주세요.",
        "err_unexpected": "처리 중 문제가 생겼습니다 (오류 `{code}`). "
        "다시 시도해 주시고, 계속되면 서버 관리자에게 이 코드를 알려 주세요.",
        "err_date": "`{value}`는 날짜가 아닙니다. "
        "YYYY-MM-DD 형식으로 입력해 주세요 (예: 2025-05-09).",
        "err_busy": "데이터베이스가 지금 바쁩니다 (다른 프로세스가 쓰는 중). "
        "잠시 후 다시 시도해 주세요.",
        "err_slow": "{seconds}초 넘게 걸려서 중단했습니다. "
        "더 구체적인 단어나 더 짧은 기간으로 다시 시도해 주세요.",
        "err_time": "`{value}`는 시각이 아닙니다. 24시간제 HH:MM 형식으로 입력해 주세요 "
        "(예: 09:00, 18:30).",
        "err_timezone": "`{value}`는 시간대가 아닙니다. Asia/Seoul, Europe/Berlin, UTC 같은 "
        "IANA 이름을 입력해 주세요.",
        "err_no_paper": "`{query}`에 맞는 논문이 없습니다. arXiv ID(예: 2505.03011)나 링크, "
        "또는 `/검색 {query}`을 시도해 보세요.",
        "err_no_results": "`{query}` 검색 결과가 없습니다. 단어를 줄이거나 바꾸고, "
        "날짜 범위를 넓혀 보세요.",
        "err_no_digest_day": "{day} 다이제스트는 없습니다. "
        "`/다이제스트`에서 날짜를 입력하기 시작하면 있는 날짜가 보입니다.",
        "err_no_digests": "아직 불러온 다이제스트가 없습니다.",
        "err_no_author": "`{name}`에 맞는 저자가 없습니다. 성만 입력해 보세요.",
        "period_day": "최신 하루의 인기 논문",
        "period_week": "최근 7일 인기 논문",
        "period_month": "최근 30일 인기 논문",
        "period_year": "최근 365일 인기 논문",
        "period_all": "전체 기간 인기 논문",
        "help_title": "papers-bot",
        "help_body": "Hugging Face Daily Papers 한국어 요약을 여기서 찾아볼 수 있습니다.\n\n"
        "`/논문` arXiv ID, 링크, 제목으로 논문 한 편 보기\n"
        "`/검색` 한국어·영어 키워드 검색 (날짜, 정렬)\n"
        "`/다이제스트` 하루치 다이제스트\n"
        "`/인기` 기간별 추천 많은 논문\n"
        "`/저자` 저자로 찾기\n"
        "`/무작위` 무작위 논문\n"
        "`/데일리` 매일 채널에 다이제스트 게시 (서버 관리 권한)\n"
        "`/팔로우` 새 다이제스트에 내 단어나 저자의 논문이 있으면 DM으로 알림\n\n"
        "조회 명령에 `나만보기: True`를 붙이면 나에게만 보입니다.",
        "daily_subscribed": "{channel} 구독 완료: 매일 {time} ({tz})에 다이제스트를 게시합니다. "
        "다음 게시: {next}.",
        "daily_unsubscribed": "{channel}에 더 이상 데일리 다이제스트를 게시하지 않습니다.",
        "daily_not_subscribed": "{channel}은 구독 중이 아니었습니다.",
        "daily_none": "이 서버에는 데일리 다이제스트를 받는 채널이 없습니다. "
        "`/데일리 구독`으로 추가하세요.",
        "daily_status_title": "데일리 다이제스트 게시 현황",
        "daily_schedule": "매일 {time} ({tz}), 형식 {style}",
        "daily_next": "다음 게시: {next}",
        "daily_last": "마지막 다이제스트: {day} ({status}, 메시지 {sent}/{planned})",
        "daily_paused": "⏸️ 일시 중지됨: {reason}. 채널 권한을 고친 뒤 다시 구독하세요.",
        "daily_error": "⚠️ 최근 오류 ({failures}회): {reason}",
        "daily_sources": "**다이제스트 소스**",
        "daily_sources_more": "… 그 밖에 {count}건",
        "daily_preview_more": "… 그리고 메시지 {count}개 더.",
        "daily_posted": "{channel}에 {day} 다이제스트를 게시했습니다 (메시지 {sent}개).",
        "daily_already": "{day} 다이제스트는 이미 {channel}에 게시되었습니다. "
        "다시 게시하려면 `강제: True`를 쓰세요.",
        "daily_busy": "{day} 다이제스트를 지금 {channel}에 게시하는 중입니다.",
        "daily_busy_elsewhere": "다른 봇 프로세스가 지금 {channel}에 {day} 다이제스트를 "
        "게시하는 중입니다.",
        "daily_stalled_failed": "⚠️ 멈춤: {reason}. 다음 틱에서 다시 시도합니다.",
        "daily_stalled_gone": "⚠️ 멈춤: 게시하던 봇 프로세스가 {since} 멈췄습니다. "
        "다음 틱에서 이어서 게시합니다.",
        "daily_failed": "{channel}에 게시하지 못했습니다: {reason}",
        "daily_other_guild": "이 서버의 채널만 관리할 수 있습니다.",
        "daily_missing_perms": "⚠️ 아직 {channel}에 임베드 메시지를 보낼 수 없습니다: "
        "메시지 보내기와 링크 첨부 권한을 주세요.",
        "daily_last_built": "Hugging Face에서 만든 날입니다: {day} 한국어 다이제스트가 "
        "{deadline}까지 나오지 않았습니다.",
        "daily_days": "**최근 날짜**",
        "daily_day_korean": "{day}: 한국어 다이제스트, 논문 {papers}편",
        "daily_day_mixed": "{day}: 한국어 다이제스트와 Hugging Face, 논문 {papers}편",
        "daily_day_built": "{day}: Hugging Face에서 만든 날, 논문 {papers}편",
        # enrichment (bot/render/enriched.py)
        "abstract": "초록 (영문)",
        "read_abstract": "초록 전체 보기",
        "hf_upvotes": "Hugging Face 추천",
        "github_stars": "GitHub 스타",
        "code": "코드",
        "project": "프로젝트",
        # waiting for a complete built day (bot/features/daily/cog.py)
        "daily_waiting_complete": "Hugging Face의 {day} 목록이 다 찰 때까지 기다립니다: "
        "{at}에 다시 만든 뒤 게시합니다.",
        # the next post of a day built from Hugging Face (bot/features/daily/cog.py)
        "daily_built_next": "🤗 {day}은 Hugging Face에서 가져옵니다({deadline}까지 한국어 "
        "다이제스트가 나오지 않았습니다): Hugging Face에 올라온 그날 전체를 {local}, {at}에 "
        "게시합니다.",
        "daily_built_late": "⏳ Hugging Face에서 가져올 {day}은 {local}, {at}에 게시될 "
        "예정이었습니다: Hugging Face의 완성된 목록을 만드는 대로 게시합니다.",
        # /follow and its alerts
        "follow_added_keyword": "`{query}` 팔로우 완료: 새 다이제스트에 `/검색 {query}`로 찾을 "
        "논문이 있으면 DM으로 알려 드립니다. (팔로우 {count}/{most})",
        "follow_added_author": "저자 `{query}` 팔로우 완료: 새 다이제스트에 `/저자 {query}`로 "
        "찾을 논문이 있으면 DM으로 알려 드립니다. (팔로우 {count}/{most})",
        "follow_exists": "이미 `{query}`를 팔로우하고 있습니다.",
        "follow_full": "팔로우가 이미 최대치인 {most}개입니다. "
        "먼저 `/팔로우 삭제`로 하나를 지워 주세요.",
        "follow_too_long": "{length}자입니다. 팔로우는 최대 {most}자까지 가능합니다.",
        "follow_no_words": "`{query}`에는 찾을 단어가 없습니다. 한국어나 영어 단어, "
        '또는 "따옴표"로 묶은 구절을 입력해 주세요.',
        "follow_no_name": "`{query}`는 이름이 아닙니다. "
        "저자 이름의 전체 또는 일부를 입력해 주세요.",
        "follow_removed": "{follow} 팔로우를 취소했습니다.",
        "follow_not_found": "`{query}`를 팔로우하고 있지 않습니다. 입력을 시작하면 내 팔로우에서 "
        "고를 수 있습니다.",
        "follow_none": "아직 팔로우가 없습니다. `/팔로우 키워드`나 `/팔로우 저자`를 써 보세요.",
        "follow_list_title": "내 팔로우 ({count}/{most})",
        "follow_keyword": "단어 `{query}`",
        "follow_author": "저자 `{query}`",
        "follow_status_title": "내 알림",
        "follow_status_where": "알림은 저와의 DM으로 갑니다: 팔로우에 맞는 논문이 있는 새 "
        "다이제스트마다 한 번 (팔로우 {count}개).",
        "follow_status_last": "마지막 알림: {day}, 논문 {papers}편, 메시지 {sent}/{planned} "
        "({status}).",
        "follow_status_sent_at": "{when} 보냄.",
        "follow_status_never": "아직 알림이 없습니다: 맞는 논문이 있는 다음 다이제스트에 보냅니다.",
        "follow_problem_closed": "⚠️ {day} 알림을 보내지 못했습니다: Discord가 DM이 닫혀 있다고 "
        "합니다. 알림을 받으려면 서버 멤버의 DM을 허용해 주세요 (서버 메뉴 ▸ 개인정보 보호 설정 "
        "▸ 다이렉트 메시지). 다음 다이제스트 때 다시 보내 보겠습니다.",
        "follow_problem_gone": "⚠️ {day} 알림을 보내지 않았습니다: 더 이상 저와 같은 서버에 "
        "계시지 않습니다. 다음 다이제스트 때 다시 보내 보겠습니다.",
        "alert_header": "📬 **내 팔로우** · Daily Papers {day}: 맞는 논문 {count}편",
        "alert_header_one": "📬 **내 팔로우** · Daily Papers {day}: 맞는 논문 1편",
        "alert_more": "📬 내 팔로우, 이어서 ({part}/{parts})",
        "alert_matched": "팔로우",
        "alert_by_keyword": "단어 `{query}`",
        "alert_by_author": "저자 `{query}`",
        # saved papers, papers from a message, privacy
        "save": "저장",
        "save_pick": "이 중 하나 저장…",
        "save_n": "{n}번 저장",
        "saved_added": "🔖 저장했습니다 · 내 목록 {papers}\n{title}",
        "saved_already": "🔖 이미 내 목록에 있습니다 · {papers}\n{title}",
        "saved_full": "목록이 가득 찼습니다: 최대 {limit}편까지 저장할 수 있습니다. "
        "`/저장목록 삭제`로 몇 편을 빼고 (보관하려면 먼저 `/저장목록 내보내기`) "
        "다시 저장해 주세요.",
        "saved_undo": "되돌리기",
        "saved_undone": "내 목록에서 뺐습니다 · {papers}\n{title}",
        "saved_gone": "arXiv:{id}는 이제 다이제스트에 없어서 저장할 수 없습니다.",
        "saved_list_title": "내가 저장한 논문",
        "saved_empty": "목록이 비어 있습니다. 논문 카드(`/논문`, `/검색`, 데일리 게시물)의 "
        "🔖 저장을 눌러 추가하세요.",
        "saved_removed": "내 목록에서 뺐습니다 · 남은 논문 {papers}\n{title}",
        "saved_not_in_list": "`{query}`는 내 저장 목록에 없습니다. `논문` 옵션에 입력하기 "
        "시작하면 내 목록에서 고를 수 있습니다.",
        "saved_exported": "저장한 논문 ({papers}) {format} 파일: `{file}`.",
        "papers_none": "논문 없음",
        "find_none": "이 메시지에는 arXiv ID나 arXiv / Hugging Face 논문 링크가 없습니다.",
        "find_found": "이 메시지의 논문: {papers}.",
        "find_outside": "다이제스트에 없는 논문 (이 봇에 없음), arXiv 링크:",
        "find_more": "… 그 밖에 ID {count}개는 표시하지 않았습니다.",
        "privacy_title": "papers-bot이 저장한 내 정보",
        "privacy_nothing": "없음: papers-bot은 나에 대한 정보를 저장하고 있지 않습니다.",
        "privacy_footer": "`/개인정보 내정보삭제`로 모두 지울 수 있습니다. 논문과 다이제스트는 "
        "공개 자료이고, 로그에는 회원이 아니라 상호작용과 오류 코드만 남습니다.",
        "privacy_saved_papers": "저장한 논문: {count}편 (arXiv ID와 저장한 시각), `/저장목록`용",
        "privacy_subscriptions": "내가 설정한 데일리 게시 구독: {count}개 (누가 설정했는지로 "
        "내 회원 ID가 함께 저장됨; 지워도 채널 게시는 계속됨)",
        "privacy_members": "내 회원 기록 (언어, 처음 본 날): 다른 내 정보의 기준",
        "privacy_alert_messages": "내게 보낸 알림 메시지: {count}개 (같은 알림을 두 번 보내지 "
        "않도록 메시지 ID)",
        "privacy_alerts": "데일리 알림: {count}개 (날짜, 논문·메시지 수, 전달 여부)",
        "privacy_follows": "팔로우: {count}개 (단어나 저자 이름), `/팔로우`용",
        "privacy_follow_guilds": "`/팔로우`를 쓴 서버: {count}개 (봇과 함께 있는 서버가 있을 "
        "때만 알림)",
        "privacy_follow_members": "알림 받는 곳: {count}개 (봇과의 DM 채널, 언어, 전달 문제)",
        "forget_confirm": "papers-bot이 저장한 내 정보를 모두 지울까요?\n{what}\n"
        "되돌릴 수 없습니다.",
        "forget_button": "모두 삭제",
        "forget_keep": "그대로 두기",
        "forget_done": "삭제했습니다. 이제 papers-bot은 나에 대한 정보를 저장하고 있지 "
        "않습니다.\n{what}",
        "forget_kept": "아무것도 지우지 않았습니다.",
        "forget_nothing": "papers-bot이 저장한 내 정보가 없어서 지울 것이 없습니다.",
        "forget_not_yours": "요청한 사람만 확인할 수 있습니다.",
        "daily_enrich": "**Hugging Face 보강 정보** ({since} – {until})",
        "daily_enrich_counts": "논문 {papers}편 중 {found}편 보강, Hugging Face에 없는 논문 "
        "{missing}편",
        "daily_enrich_failed": "⚠️ 마지막 보강 실패 {at}: {reason}",
        "daily_ko": "**한국어 요약** (Hugging Face에서 만든 날)",
        "daily_ko_day": "{day}: 논문 {papers}편 중 {korean}편 한국어 요약",
        "daily_ko_failing": "; {gave_up}편은 {max}번 실패해 영어로 둠, {waiting}편은 다시 "
        "요청 예정",
        "daily_ko_last": "마지막 실패 {at}, {paper}: {reason}",
    },
}


COMMANDS: Final[dict[str, dict[str, str]]] = {
    "ko": {
        # command names
        "paper": "논문",
        "search": "검색",
        "digest": "다이제스트",
        "top": "인기",
        "author": "저자",
        "random": "무작위",
        "help": "도움말",
        "daily": "데일리",
        "subscribe": "구독",
        "unsubscribe": "구독취소",
        "status": "상태",
        "preview": "미리보기",
        "post-now": "지금게시",
        # option names
        "query": "검색어",
        "ephemeral": "나만보기",
        "since": "시작일",
        "until": "종료일",
        "sort": "정렬",
        "date": "날짜",
        "period": "기간",
        "name": "이름",
        "channel": "채널",
        "time": "시각",
        "timezone": "시간대",
        "style": "형식",
        "min_votes": "최소추천",
        "max_papers": "최대편수",
        "force": "강제",
        # command descriptions
        "Show one paper": "논문 한 편 보기",
        "Search papers by keyword": "키워드로 논문 검색",
        "One day's digest as published": "하루치 다이제스트 보기",
        "Most-voted papers": "추천을 많이 받은 논문",
        "Papers by an author": "저자로 논문 찾기",
        "A random paper": "무작위 논문 한 편",
        "What this bot does": "이 봇의 기능과 명령어",
        "Daily digest posts in this server": "이 서버의 데일리 다이제스트 게시",
        "Post the daily digest in a channel": "채널에 데일리 다이제스트 게시하기",
        "Stop the daily digest in a channel": "채널의 데일리 다이제스트 중지",
        "Show this server's daily posts": "이 서버의 데일리 게시 현황",
        "See exactly what would be posted": "게시될 내용을 미리 보기",
        "Post the newest digest now": "최신 다이제스트를 지금 게시",
        # option descriptions
        "An arXiv id, an arXiv or Hugging Face link, or words from the title": (
            "arXiv ID, arXiv 또는 Hugging Face 링크, 또는 제목의 단어"
        ),
        "Only you see the answer": "나에게만 보이기",
        'Words in Korean or English; "quotes" for an exact phrase': (
            '한국어 또는 영어 단어; 정확한 구절은 "따옴표"로'
        ),
        "First day, YYYY-MM-DD": "시작 날짜, YYYY-MM-DD",
        "Last day, YYYY-MM-DD": "마지막 날짜, YYYY-MM-DD",
        "Order of results": "결과 정렬 순서",
        "The day, YYYY-MM-DD (default: the newest)": "날짜, YYYY-MM-DD (기본: 최신)",
        "How far back to look, up to the newest digest": "최신 다이제스트부터 거슬러 볼 기간",
        "All or part of the author's name": "저자 이름의 전체 또는 일부",
        "Pick from this period only, up to the newest digest": "이 기간의 논문 중에서만 고르기",
        "Channel to post in": "게시할 채널",
        "Local time, HH:MM (24-hour)": "현지 시각, HH:MM (24시간제)",
        "IANA timezone, e.g. Asia/Seoul": "IANA 시간대, 예: Asia/Seoul",
        "How the digest is posted": "게시 형식",
        "Only papers with at least this many votes": "추천 수가 이 값 이상인 논문만",
        "At most this many papers": "최대 논문 수",
        "Post again even if it was already posted": "이미 게시했어도 다시 게시",
        # choices
        "Newest day": "최신 하루",
        "Last 7 days": "최근 7일",
        "Last 30 days": "최근 30일",
        "Last 365 days": "최근 365일",
        "All time": "전체 기간",
        "Relevance": "관련도",
        "Votes": "추천 수",
        "Newest": "최신순",
        "Embeds (one card per paper)": "임베드 (논문마다 카드)",
        "Thread (one message per paper)": "스레드 (논문마다 메시지)",
        "Compact (one list)": "간단히 (목록 하나)",
        # /search has_code
        "has_code": "코드있음",
        "Only papers with code on GitHub": "GitHub 코드가 있는 논문만",
        # /follow
        "follow": "팔로우",
        "keyword": "키워드",
        "list": "목록",
        "remove": "삭제",
        "words": "단어",
        "Alerts by direct message when new papers match": "새 논문이 맞으면 DM으로 알림",
        'Follow words or a "phrase", as /search finds them': (
            '단어나 "구절" 팔로우 (/검색처럼 찾기)'
        ),
        "Follow an author, as /author finds them": "저자 팔로우 (/저자처럼 찾기)",
        "Your follows": "내 팔로우 보기",
        "Stop following something": "팔로우 취소",
        "Where your alerts go, the last one, any problem": "알림 받는 곳, 마지막 알림, 문제",
        'Words in Korean or English; "quotes" for an exact phrase (at most 100 characters)': (
            '한국어 또는 영어 단어; 정확한 구절은 "따옴표"로 (최대 100자)'
        ),
        "One of your follows": "내 팔로우 중 하나",
        # saved papers, papers from a message, privacy
        "saved": "저장목록",
        "export": "내보내기",
        "format": "파일형식",
        "privacy": "개인정보",
        "show": "보기",
        "forget-me": "내정보삭제",
        "Find papers": "논문 찾기",
        "Your saved papers": "내가 저장한 논문",
        "List your saved papers, newest first": "저장한 논문 목록 (최근 저장한 순)",
        "Remove a paper from your saved papers": "저장 목록에서 논문 빼기",
        "Download your saved papers as a file": "저장한 논문을 파일로 내려받기",
        "A paper in your list": "내 목록의 논문",
        "The file's format": "파일 형식",
        "What papers-bot stores about you": "papers-bot이 저장한 내 정보",
        "List what is stored about you": "저장된 내 정보 보기",
        "Delete everything stored about you": "저장된 내 정보 모두 삭제",
    },
}


def language(locale: str | None) -> str:
    """`ko`, `ko-KR`, `en-US`, `EN` … -> a key of `TEXT` (English when unknown)."""
    lang = (locale or "").replace("_", "-").split("-")[0].lower()
    return lang if lang in TEXT else DEFAULT_LOCALE


def text(locale: str | None, key: str, **values: object) -> str:
    """The string `key` in `locale`, formatted with `values`."""
    template = TEXT[language(locale)].get(key) or TEXT[DEFAULT_LOCALE][key]
    return template.format(**values) if values else template


def command_text(locale: str | None, message: str) -> str | None:
    """A command string (name, description, choice) in `locale`; None leaves the English."""
    return COMMANDS.get(language(locale), {}).get(message)


def locale_of(interaction: discord.Interaction) -> str:
    """The locale of the member's client (`ko`, `en-US` …), for `text()`."""
    return str(interaction.locale)
