"""The production storage of static files: WhiteNoise's compressed, hashed copies, ES modules included."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class Storage(CompressedManifestStaticFilesStorage):
    # The room's scripts are ES modules that import each other (`from "./i18n.js"`): the imports are rewritten
    # to the hashed names too, so one page never mixes modules of two deploys.
    support_js_module_import_aggregation = True

    def create_compressor(self, **kwargs):
        # gzip only, as the README says. WeasyPrint's fonttools brings the brotli module, and WhiteNoise then also
        # writes a .br copy of every file at Brotli's slowest level: minutes for the API docs' 9 MB on a busy
        # machine, at each deploy.
        return super().create_compressor(use_brotli=False, **kwargs)
