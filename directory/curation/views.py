"""The zone team's curation pages under /map/curation/ (zone admin and helpdesk; 404 for others)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from core.requests import AuthenticatedHttpRequest
from directory import availability, jobs
from directory.curation import presenters, queries, services
from directory.curation.forms import AvailabilityForm, ConfirmForm, ImportForm, ServiceForm
from schakel.routes import own_account_route


@own_account_route()
@login_required
def service_list(request: HttpRequest) -> HttpResponse:
    which = request.GET.get("filter", "all")
    which = which if which in queries.FILTERS else "all"
    search = request.GET.get("q", "")
    page = queries.services_to_curate(request.user, which=which, search=search, page=request.GET.get("page"))
    rows = [presenters.service_row(service) for service in page.object_list]
    context = {"page": page, "rows": rows, "filter": which, "search": search, "filters": presenters.filters(which)}
    return render(request, "directory/curation/service_list.html", context)


@own_account_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def edit_service(request: AuthenticatedHttpRequest, hsds_id: str) -> HttpResponse:
    service = queries.get_service(request.user, hsds_id)
    form = ServiceForm(request.POST or None, initial=presenters.service_initial(service))
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        phone = data.pop("phone")
        municipalities, zones = data.pop("municipalities"), data.pop("zones")
        try:
            services.update_service(
                request.user,
                service,
                version=version,
                fields=data,
                phone=phone,
                municipalities=municipalities,
                zones=zones,
            )
        except ValidationError as error:  # Conflict is one too
            form.add_error(None, error)
        else:
            messages.success(request, _("The service is saved."))
            return redirect("curation:service", hsds_id=service.hsds_id)
    return _service_page(request, service, form=form)


def _service_page(request: HttpRequest, service, **forms) -> HttpResponse:
    capacity = service.capacities.order_by("pk").first()
    context = {
        "service": service,
        "form": forms.get("form") or ServiceForm(initial=presenters.service_initial(service)),
        "confirm_form": forms.get("confirm_form") or ConfirmForm(initial={"version": service.version}),
        "availability_form": forms.get("availability_form")
        or AvailabilityForm(initial=presenters.availability_initial(capacity)),
        "availability": presenters.availability_text(availability.status(service)),
        "history": queries.history_of(request.user, service),
    }
    return render(request, "directory/curation/service_edit.html", context)


@own_account_route("POST")
@login_required
@require_POST
def confirm_service(request: AuthenticatedHttpRequest, hsds_id: str) -> HttpResponse:
    service = queries.get_service(request.user, hsds_id)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.confirm_service(request.user, service, version=form.cleaned_data["version"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Confirmed: the service is marked as checked today."))
            return redirect("curation:service", hsds_id=service.hsds_id)
    return _service_page(request, service, confirm_form=form)


@own_account_route("POST")
@login_required
@require_POST
def update_availability(request: AuthenticatedHttpRequest, hsds_id: str) -> HttpResponse:
    service = queries.get_service(request.user, hsds_id)
    form = AvailabilityForm(request.POST)
    if form.is_valid():
        try:
            services.update_availability(request.user, service, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The availability is saved."))
            return redirect("curation:service", hsds_id=service.hsds_id)
    return _service_page(request, service, availability_form=form)


@own_account_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def imports(request: AuthenticatedHttpRequest) -> HttpResponse:
    queries.require_curator(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        try:
            job = jobs.enqueue_import(
                request.user,
                form.cleaned_data["file"],
                language=form.cleaned_data["language"],
                mode=form.cleaned_data["mode"],
                skip_invalid=form.cleaned_data["skip_invalid"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("curation:import-job", public_id=job.public_id)
    context = {
        "form": form,
        "jobs": queries.import_jobs(request.user),
        "dataset": queries.published_dataset(request.user),
    }
    return render(request, "directory/curation/imports.html", context)


@own_account_route()
@login_required
@vary_on_headers("HX-Request")
def import_job(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    job = queries.get_job(request.user, public_id)
    context = {"job": job, "view": presenters.job_view(job)}
    template = "directory/curation/import_job.html" + ("#progress" if request.htmx else "")
    return render(request, template, context)
