from django.http import HttpResponse


def _todo(request, **kwargs):
    return HttpResponse("coming next", content_type="text/plain")


register = registered = manage = cancel = accept = decline = _todo
