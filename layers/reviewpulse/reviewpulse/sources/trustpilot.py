"""Trustpilot business-unit reviews (public API key or private OAuth), read oldest first.

Why ascending order: new reviews append at the end, so page numbers stay stable while we page, and a
cursor `page` resumes exactly where the last stored page ended. Edits and owner replies do not reorder
the list, so each incremental pass re-reads the last `rescan_days` of reviews to see them.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from aws_lambda_powertools import Logger
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from reviewpulse.models import Rating, Reply, Review, ReviewStatus, Source, iso
from reviewpulse.sources.base import Budget, Capabilities, Page, ReviewSource
from reviewpulse.sources.credentials import TOKENS, TokenCache, read_secret
from reviewpulse.sources.errors import MalformedResponse, SourceAuthError, SourceConfigError
from reviewpulse.sources.http import CredentialsRejected, PlatformHttp, RequestRejected

logger = Logger(child=True)

TOKEN_PATH = "/v1/oauth/oauth-business-users-for-applications/accesstoken"  # noqa: S105  (a URL path, not a secret)
REVIEW_URL = "https://www.trustpilot.com/reviews/{id}"
PAGINATION_LIMIT_TEXT = "pagination limit exceeded"  # 400 past page 1000 (singer-io/tap-trustpilot)

# Trustpilot's review `status`. Only "active" is visible; everything the platform hides or removes
# becomes DELETED so the stored review stops counting. A missing status (public API) means visible.
STATUS_MAP: dict[str, ReviewStatus] = {
    "active": ReviewStatus.PUBLISHED,
    "archived": ReviewStatus.DELETED,
    "deleted": ReviewStatus.DELETED,
    "removed": ReviewStatus.DELETED,
    "hidden": ReviewStatus.DELETED,
    "reported-hidden": ReviewStatus.DELETED,
    "reportedhidden": ReviewStatus.DELETED,
    "pending": ReviewStatus.DELETED,  # not yet (or no longer) shown publicly
}


def _utc(value: datetime) -> datetime:
    """Trustpilot's docs show times without a zone (`2013-09-07T13:37:00`); they are UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_utc)]


class TrustpilotConfig(BaseModel):
    model_config = ConfigDict(extra="ignore")

    business_unit_id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_-]+$")
    api: Literal["public", "private"] = "public"
    api_base: str = Field(default="https://api.trustpilot.com", pattern=r"^https?://")
    per_page: int = Field(default=100, ge=1, le=100)
    rescan_days: int = Field(default=14, ge=0, le=365)


class TrustpilotSecret(BaseModel):
    model_config = ConfigDict(extra="ignore")

    api_key: str = Field(min_length=1)
    api_secret: str | None = None
    grant: Literal["client_credentials", "password"] = "client_credentials"
    username: str | None = None
    password: str | None = None
    business_user_id: str | None = None


class TrustpilotCursor(BaseModel):
    """Where the next run resumes: `page` is the next page to read within the current pass."""

    mode: Literal["backfill", "incremental"] = "backfill"
    page: int = Field(default=1, ge=1)
    since: UtcDatetime | None = None  # newest createdAt of the last finished pass
    max_created: UtcDatetime | None = None  # newest createdAt seen so far in this pass

    def dump(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "page": self.page,
            "since": iso(self.since) if self.since else None,
            "max_created": iso(self.max_created) if self.max_created else None,
        }


# --- the platform's review shape: what we read from it, tolerant of everything else ---


class _TpConsumer(BaseModel):
    model_config = ConfigDict(extra="ignore")  # email/referral data is never read, so never kept

    displayName: str | None = None  # Trustpilot's camelCase names, kept so validation reads 1:1


class _TpReply(BaseModel):
    model_config = ConfigDict(extra="ignore")

    text: str | None = None
    createdAt: UtcDatetime | None = None
    updatedAt: UtcDatetime | None = None


class TrustpilotReview(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1, max_length=512)
    stars: int = Field(ge=1, le=5)
    title: str | None = None
    text: str | None = None
    language: str | None = None
    consumer: _TpConsumer | None = None
    createdAt: UtcDatetime
    updatedAt: UtcDatetime | None = None
    companyReply: _TpReply | None = None
    status: str | None = None


class TrustpilotAdapter(ReviewSource):
    platform = "trustpilot"
    gives = Capabilities(history=True, replies=True, edits=True)

    def __init__(
        self,
        source: Source,
        *,
        http: PlatformHttp | None = None,
        tokens: TokenCache = TOKENS,
    ) -> None:
        super().__init__(source)
        try:
            self.config = TrustpilotConfig.model_validate(source.config)
        except ValidationError as exc:
            raise SourceConfigError(f"trustpilot source {source.source_id}: {_fields(exc)}") from exc
        if not source.credentials:
            raise SourceConfigError(f"trustpilot source {source.source_id} has no credentials reference")
        self.credentials_ref = source.credentials
        self.http = http or PlatformHttp(self.platform)
        self.tokens = tokens
        self._secret: TrustpilotSecret | None = None
        base = self.config.api_base.rstrip("/")
        scope = "/v1/private" if self.config.api == "private" else "/v1"
        self.reviews_url = f"{base}{scope}/business-units/{self.config.business_unit_id}/reviews"
        self.token_url = f"{base}{TOKEN_PATH}"

    @property
    def entity(self) -> str:
        return self.config.business_unit_id  # the public and the private API read the same business unit

    # --- reading ---

    def fetch(self, cursor: dict[str, Any], budget: Budget) -> Iterator[Page]:
        try:
            state = TrustpilotCursor.model_validate(cursor or {})
        except ValidationError:
            logger.warning("unreadable trustpilot cursor; starting a backfill", source=self.source.source_id)
            state = TrustpilotCursor()
        while not budget.exhausted():
            try:
                body = self._get_reviews(self._params(state), budget)
            except RequestRejected as exc:
                if exc.status == 400 and PAGINATION_LIMIT_TEXT in exc.body_excerpt.lower():
                    # Trustpilot serves at most 1000 pages; thanks to ascending order the rest is reached
                    # by a new pass that starts from the newest review we have seen.
                    logger.info("trustpilot deep-page cap reached", page=state.page, mode=state.mode)
                    yield Page(reviews=[], cursor=self._finish_pass(state).dump())
                    return
                raise
            raw_reviews = body.get("reviews")
            if not isinstance(raw_reviews, list):
                raise MalformedResponse("trustpilot sent a page without a 'reviews' list")
            reviews, skipped = self._reviews(raw_reviews)
            newest = max((r.created_at for r in reviews), default=None)
            if newest and (state.max_created is None or newest > state.max_created):
                state = state.model_copy(update={"max_created": newest})
            if len(raw_reviews) < self.config.per_page:  # a short or empty page is the last one
                yield Page(reviews=reviews, cursor=self._finish_pass(state).dump(), skipped=skipped)
                return
            state = state.model_copy(update={"page": state.page + 1})
            yield Page(reviews=reviews, cursor=state.dump(), skipped=skipped)

    def _params(self, state: TrustpilotCursor) -> dict[str, str | int]:
        params: dict[str, str | int] = {
            "page": state.page,
            "perPage": self.config.per_page,
            "orderBy": "createdat.asc",
        }
        if state.mode == "incremental" and state.since is not None:
            start = state.since - timedelta(days=self.config.rescan_days)
            params["startDateTime"] = start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
        return params

    @staticmethod
    def _finish_pass(state: TrustpilotCursor) -> TrustpilotCursor:
        """The end of a pass: the next one re-reads from `since` − rescan_days, from page 1."""
        candidates = [t for t in (state.since, state.max_created) if t is not None]
        return TrustpilotCursor(mode="incremental", page=1, since=max(candidates, default=None))

    def _get_reviews(self, params: dict[str, str | int], budget: Budget) -> dict[str, Any]:
        try:
            body: dict[str, Any] = self.http.get_json(
                self.reviews_url, params=params, headers=self._auth_headers(budget), budget=budget
            )
            return body
        except CredentialsRejected as exc:
            if self.config.api == "public":
                raise SourceAuthError(_public_auth_message(exc.status)) from exc
            if exc.status != 401:
                raise SourceAuthError(
                    "trustpilot denied the business user access to this business unit (HTTP 403): "
                    "check the user's role (Admin/Manager) and the API plan"
                ) from exc
        # A cached token can be revoked or expire early: mint once more and retry once.
        self.tokens.drop(self._token_key)
        try:
            retried: dict[str, Any] = self.http.get_json(
                self.reviews_url, params=params, headers=self._auth_headers(budget), budget=budget
            )
            return retried
        except CredentialsRejected as exc:
            raise SourceAuthError(f"trustpilot rejected a freshly minted access token (HTTP {exc.status})") from exc

    def _reviews(self, raw_reviews: list[Any]) -> tuple[list[Review], int]:
        reviews: list[Review] = []
        skipped = 0
        for raw in raw_reviews:
            try:
                reviews.append(self._review(TrustpilotReview.model_validate(raw)))
            except ValidationError as exc:
                skipped += 1
                review_id = raw.get("id") if isinstance(raw, dict) else None
                logger.warning(
                    "skipped an invalid trustpilot review",
                    review_id=review_id if isinstance(review_id, str) else None,
                    invalid_fields=_fields(exc),
                )
        return reviews, skipped

    def _review(self, raw: TrustpilotReview) -> Review:
        """Trustpilot's shape → ours, nothing else."""
        reply = raw.companyReply
        return Review(
            platform=self.platform,
            review_id=raw.id,
            rating=Rating(value=raw.stars, worst=1, best=5),
            title=raw.title or None,
            text=raw.text or "",
            language=raw.language or None,
            author_name=raw.consumer.displayName if raw.consumer else None,
            created_at=raw.createdAt,
            updated_at=raw.updatedAt,
            reply=(
                Reply(text=reply.text, created_at=reply.createdAt, updated_at=reply.updatedAt)
                if reply is not None and reply.text
                else None
            ),
            url=REVIEW_URL.format(id=raw.id),
            status=_status(raw.id, raw.status),
        )

    # --- credentials ---

    @property
    def _token_key(self) -> str:
        return f"trustpilot:{self.credentials_ref}"

    def _auth_headers(self, budget: Budget) -> dict[str, str]:
        secret = self._read_secret()
        if self.config.api == "public":
            return {"apikey": secret.api_key}
        token = self.tokens.get(self._token_key, lambda: self._mint(secret, budget))
        headers = {"Authorization": f"Bearer {token}"}
        if secret.business_user_id:  # client_credentials tokens act for this Admin/Manager user
            headers["x-business-user-id"] = secret.business_user_id
        return headers

    def _read_secret(self) -> TrustpilotSecret:
        if self._secret is None:
            raw = read_secret(self.credentials_ref)
            try:
                self._secret = TrustpilotSecret.model_validate(raw)
            except ValidationError as exc:
                raise SourceConfigError(f"trustpilot secret is incomplete: {_fields(exc)}") from exc
        return self._secret

    def _mint(self, secret: TrustpilotSecret, budget: Budget) -> tuple[str, float]:
        if not secret.api_secret:
            raise SourceConfigError("trustpilot private API needs api_secret in the secret")
        form: dict[str, str] = {"grant_type": secret.grant}
        if secret.grant == "password":
            if not (secret.username and secret.password):
                raise SourceConfigError("trustpilot password grant needs username and password in the secret")
            form |= {"username": secret.username, "password": secret.password}
        basic = base64.b64encode(f"{secret.api_key}:{secret.api_secret}".encode()).decode()
        try:
            body = self.http.post_form(
                self.token_url, data=form, headers={"Authorization": f"Basic {basic}"}, budget=budget
            )
        except (CredentialsRejected, RequestRejected) as exc:
            # Trustpilot answers a wrong key/secret or user password with 400/401
            check = "api_key/api_secret" + (" and the business user login" if secret.grant == "password" else "")
            raise SourceAuthError(
                f"trustpilot refused to mint an access token (HTTP {exc.status}): check {check}"
            ) from exc
        token, expires_in = body.get("access_token"), body.get("expires_in")
        if not isinstance(token, str) or not token:
            raise MalformedResponse("trustpilot token response has no access_token")
        try:
            lifetime = float(expires_in) if expires_in is not None else 3600.0
        except (TypeError, ValueError) as exc:
            raise MalformedResponse("trustpilot token response has an unreadable expires_in") from exc
        logger.info("minted a trustpilot access token", expires_in_s=lifetime)
        return token, lifetime


def _status(review_id: str, status: str | None) -> ReviewStatus:
    if status is None:
        return ReviewStatus.PUBLISHED
    mapped = STATUS_MAP.get(status.lower())
    if mapped is None:
        # Unknown status: keep it visible (a false alert beats a silently missed review), but say so.
        logger.warning("unknown trustpilot review status", review_id=review_id, status=status)
        return ReviewStatus.PUBLISHED
    return mapped


def _public_auth_message(status: int) -> str:
    if status == 401:
        return "trustpilot rejected the API key (HTTP 401): check api_key in the secret"
    return "trustpilot denied the API key access to this business unit (HTTP 403): check the API plan"


def _fields(exc: ValidationError) -> str:
    """Which fields failed, without their values (pydantic's own message quotes the input)."""
    return ", ".join(sorted({".".join(str(part) for part in error["loc"]) or "(root)" for error in exc.errors()}))
