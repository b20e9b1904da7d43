"""Browser tests of the built portal (headless Debian Chromium through Playwright)."""
