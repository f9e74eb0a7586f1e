"""Cloud Billing: the project's billing info and the billing account it is charged to.

One ``projects.getBillingInfo`` per project (global unit) and one ``billingAccounts.get`` for
its account; the account node is added in every project it pays for, so that the edge
account → billing info stays inside the project. Services and SKUs (the price catalogue) are
table entries of :mod:`rest_specs` collected once per run.
"""

from __future__ import annotations

from resoto_plugin_gcp.apis import BILLING
from resoto_plugin_gcp.context import UnitContext
from resoto_plugin_gcp.links import GLOBAL
from resoto_plugin_gcp.resources_more import GcpBillingAccount, GcpProjectBillingInfo
from resoto_plugin_gcp.rest import RestApi

SERVICE = BILLING.key


def collect_billing(ctx: UnitContext) -> None:
    if ctx.region != GLOBAL or SERVICE in ctx.disabled or not ctx.config.wants(GcpProjectBillingInfo.kind):
        return
    base = f"{ctx.clients.endpoint(SERVICE, BILLING.host)}/{BILLING.version}"
    api = RestApi(ctx.clients.session, base, ctx.retry)
    try:
        info = api.call("GET", f"projects/{ctx.project}/billingInfo")
        ctx.count(SERVICE, "projects.getBillingInfo")
    except Exception as e:
        ctx.count(SERVICE, "projects.getBillingInfo", e)
        ctx.report_error(SERVICE, "billing info", e, kind=GcpProjectBillingInfo.kind)
        return
    account_name = info.get("billingAccountName") or None
    this = ctx.builder.add(
        GcpProjectBillingInfo(
            id="billingInfo",
            name=f"{ctx.project} billing",
            link=info.get("name"),
            billing_account_name=account_name,
            billing_enabled=info.get("billingEnabled"),
        ),
        region=GLOBAL,
    )
    if not account_name or not ctx.config.wants(GcpBillingAccount.kind):
        return
    try:
        account = api.call("GET", account_name)
        ctx.count(SERVICE, "billingAccounts.get")
    except Exception as e:
        ctx.count(SERVICE, "billingAccounts.get", e)
        ctx.report_error(SERVICE, f"billing account {account_name}", e, kind=GcpBillingAccount.kind)
        return
    owner = ctx.builder.add(
        GcpBillingAccount(
            id=account_name,
            name=account.get("displayName") or account_name,
            link=account_name,
            display_name=account.get("displayName"),
            master_billing_account=account.get("masterBillingAccount") or None,
            open=account.get("open"),
            currency_code=account.get("currencyCode"),
        ),
        region=GLOBAL,
    )
    ctx.link(this, owner, owner=True, delete=None)
