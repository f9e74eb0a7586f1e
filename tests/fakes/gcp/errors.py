"""Error bodies in the shape Google's APIs send them (``google.rpc.Status`` JSON with ``ErrorInfo``)."""

from __future__ import annotations

from typing import Any

STATUS = {
    400: "FAILED_PRECONDITION",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "CONFLICT",
    412: "FAILED_PRECONDITION",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}

REASON = {
    400: "resourceInUseByAnotherResource",
    403: "forbidden",
    404: "notFound",
    409: "conflict",
    412: "conditionNotMet",
    429: "rateLimitExceeded",
    500: "backendError",
    503: "backendError",
}

SERVICE_TITLES = {
    "compute.googleapis.com": "Compute Engine API",
    "storage.googleapis.com": "Cloud Storage JSON API",
    "container.googleapis.com": "Kubernetes Engine API",
    "sqladmin.googleapis.com": "Cloud SQL Admin API",
    "cloudresourcemanager.googleapis.com": "Cloud Resource Manager API",
}


def error_body(code: int, message: str, reason: str | None = None) -> dict[str, Any]:
    """A plain error (404, 409, 429, 503, a 403 for a missing permission)."""
    reason = reason or REASON.get(code, "error")
    return {
        "error": {
            "code": code,
            "message": message,
            "errors": [{"message": message, "domain": "global", "reason": reason}],
            "status": STATUS.get(code, "UNKNOWN"),
        }
    }


def service_disabled_body(service: str, project_number: str) -> dict[str, Any]:
    """The 403 an API answers when it is not enabled in the project."""
    title = SERVICE_TITLES.get(service, service)
    message = (
        f"{title} has not been used in project {project_number} before or it is disabled. Enable it by "
        f"visiting https://console.developers.google.com/apis/api/{service}/overview?project={project_number} "
        "then retry."
    )
    return {
        "error": {
            "code": 403,
            "message": message,
            "errors": [
                {
                    "message": message,
                    "domain": "usageLimits",
                    "reason": "accessNotConfigured",
                    "extendedHelp": "https://console.developers.google.com",
                }
            ],
            "status": "PERMISSION_DENIED",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "SERVICE_DISABLED",
                    "domain": "googleapis.com",
                    "metadata": {
                        "service": service,
                        "consumer": f"projects/{project_number}",
                        "serviceTitle": title,
                        "activationUrl": f"https://console.developers.google.com/apis/api/{service}/overview?project={project_number}",
                    },
                }
            ],
        }
    }
