"""What Django's report of a server error may hold. The report goes by mail to ADMINS; written with Django's
own filter it would carry every POST field and every local variable of the failing frames: a buyer's phone
and address, an owner's NIK being registered, a one-time code. So this filter keeps the traceback (files,
lines, code) and the names of fields and variables, and replaces every value with the cleansed mark, on
every view: no view has to remember `sensitive_post_parameters` for the report to be safe."""

from django.views.debug import SafeExceptionReporterFilter


class PrivateExceptionReporterFilter(SafeExceptionReporterFilter):
    def is_active(self, request):
        return True  # even with DEBUG on: a debug page shown to a tester holds no one's data either

    def get_post_parameters(self, request):
        if request is None:
            return {}
        cleansed = request.POST.copy()
        for name in cleansed:
            cleansed[name] = self.cleansed_substitute
        return cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]
