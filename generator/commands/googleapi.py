"""Google's Docs and Drive APIs for `nutgraf pull`, through google-api-python-client and google-auth, which only
this module imports (and only when `pull` runs), so that building a site never needs them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .gdocsimport import FetchError

SCOPES = ("https://www.googleapis.com/auth/documents.readonly",
          "https://www.googleapis.com/auth/drive.metadata.readonly")
DOC_TYPE = "application/vnd.google-apps.document"
BATCH = 100  # files.get calls in one batch request, Drive's limit
CREDENTIALS_HINT = ("set GOOGLE_APPLICATION_CREDENTIALS to a service account's JSON key file and share the documents "
                    "with its email address (or run `gcloud auth application-default login`)")
MISSING_HINT = "install them with: pip install 'nutgraf[google]' (google-api-python-client and google-auth)"


class ServiceError(FetchError):
    """The service refused or failed; `status` is the HTTP status (0 when nothing was answered)."""

    def __init__(self, message: str, status: int = 0, hint: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.hint = hint


@dataclass(frozen=True, slots=True)
class FileState:
    """What Drive says of one document: its version (a number that grows with every change), name and type."""

    version: str
    name: str
    mime_type: str


@dataclass(frozen=True, slots=True)
class GoogleService:
    """Drive (versions), Docs (documents) and the authorized connection that fetches the documents' pictures."""

    drive: Any
    docs: Any
    http: Any
    account: str  # the service account's email address, to name in an error about access ("" when unknown)

    def versions(self, ids: Sequence[str]) -> dict[str, FileState | ServiceError]:
        """Each document's Drive version, from files.get calls batched into one request (per 100 documents)."""
        states: dict[str, FileState | ServiceError] = {}

        def answered(request_id: str, response: dict | None, exception: Exception | None) -> None:
            states[request_id] = (self._refused(exception) if exception is not None else
                                  FileState(str(response.get("version", "")), str(response.get("name", "")),
                                            str(response.get("mimeType", ""))))

        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), BATCH):
            batch = self.drive.new_batch_http_request(callback=answered)
            for doc_id in unique[start:start + BATCH]:
                batch.add(self.drive.files().get(fileId=doc_id, fields="id,name,mimeType,version",
                                                 supportsAllDrives=True), request_id=doc_id)
            self._call(batch.execute)
        return states

    def document(self, doc_id: str) -> bytes:
        """The document as the Docs API's documents.get returns it, as JSON."""
        return json.dumps(self._call(self.docs.documents().get(documentId=doc_id).execute)).encode()

    def image(self, uri: str) -> bytes:
        """A picture's bytes from its contentUri (a short-lived link made for this account)."""
        response, content = self._call(lambda: self.http.request(uri))
        if response.status != 200:
            raise ServiceError(f"the picture's link answered {response.status}", response.status)
        return content

    def _call(self, call):
        """`call()`, with the library's failures as ServiceErrors."""
        from google.auth.exceptions import GoogleAuthError
        from googleapiclient.errors import HttpError
        from httplib2 import HttpLib2Error

        try:
            return call()
        except HttpError as exc:
            raise self._refused(exc) from None
        except GoogleAuthError as exc:
            raise ServiceError(f"Google refused the credentials: {exc}", hint=CREDENTIALS_HINT) from None
        except (HttpLib2Error, OSError) as exc:
            raise ServiceError(f"cannot reach Google: {exc}", hint="check the connection, then pull again") from None

    def _refused(self, exc: Exception) -> ServiceError:
        status = getattr(getattr(exc, "resp", None), "status", 0)
        shared = f"share it with {self.account}" if self.account else "share it with the account of the credentials"
        if status == 404:
            return ServiceError("no Google Doc with this id can be seen (404)", 404,
                                f"check the id or link; if it is right, {shared}")
        if status == 403:
            return ServiceError("Google refused access to the document (403)", 403,
                                f"{shared} (Viewer is enough), and enable the Docs and Drive APIs for its project")
        return ServiceError(f"Google answered {status or 'nothing'}: {getattr(exc, 'reason', exc)}", status,
                            "pull again later")


def connect(endpoint: str | None = None) -> GoogleService:
    """The services with the credentials Google's libraries find (GOOGLE_APPLICATION_CREDENTIALS first); with
    `endpoint`, both APIs are asked there instead of at Google (a test's fake service)."""
    try:
        import google.auth
        import google_auth_httplib2
        import httplib2
        from google.auth.exceptions import DefaultCredentialsError
        from googleapiclient.discovery import build_from_document
        from googleapiclient.discovery_cache import get_static_doc
    except ImportError as exc:
        raise ServiceError(f"`nutgraf pull` needs Google's client libraries ({exc.name} is missing)",
                           hint=MISSING_HINT) from None
    try:
        credentials, _ = google.auth.default(scopes=SCOPES)
    except DefaultCredentialsError as exc:
        raise ServiceError(f"no Google credentials: {str(exc).split('. ')[0]}", hint=CREDENTIALS_HINT) from None
    http = google_auth_httplib2.AuthorizedHttp(credentials, http=httplib2.Http(timeout=60))

    def service(name: str, version: str) -> Any:
        # The discovery documents the library ships: no network call to discover the APIs.
        description = json.loads(get_static_doc(name, version))
        if endpoint:
            description["rootUrl"] = description["mtlsRootUrl"] = endpoint.rstrip("/") + "/"
        return build_from_document(description, http=http)

    return GoogleService(service("drive", "v3"), service("docs", "v1"), http,
                         getattr(credentials, "service_account_email", "") or "")
