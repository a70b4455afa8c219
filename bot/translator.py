"""Korean names and descriptions for the slash commands (English is the default)."""

from __future__ import annotations

import discord
from discord import app_commands

KO: dict[str, str] = {
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
}


class Translator(app_commands.Translator):
    """Looks every command string up in KO for Korean clients; others see English."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContext,  # type: ignore[type-arg]
    ) -> str | None:
        if locale is not discord.Locale.korean:
            return None
        return KO.get(string.message)
