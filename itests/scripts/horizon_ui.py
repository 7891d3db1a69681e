"""Horizon's image pages driven in a headless Chromium, as a person uses them.

    horizon_ui.py SCENARIO --horizon URL --file IMAGE --suffix S [--image NAME]

Each scenario logs in to the Horizon at URL (Keystone users of itests/scripts/keystone.sh), does
its steps through the pages, and after every step looks for an error message on the page (an
alert or a toast); the first one, or a step that cannot be done, ends it with exit code 1, the
message on stderr and a screenshot next to IMAGE. On success the last line of stdout is a JSON
object naming what it made, for the test to check through the image API.

Scenarios:
  member-angular   alice, the Angular images panel: create with an upload, edit (a property from
                   the catalog and a custom one), delete a second image
  member-legacy    alice, the older Django panel: create with an upload, edit the description, delete
  admin-angular    admin: create, Update Metadata from the catalog, make public
  admin-metadefs   admin, Admin > Metadata Definitions: the list, import a namespace
"""
import argparse
import json
import os
import sys
import time

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

WAIT = 60
# what the browser console may say without it being the image service's doing: Horizon's own
# packaged JavaScript, and services this test does not run (Nova, Cinder, Neutron)
CONSOLE_NOISE = ("angular.lowercase is not a function", "Service type is not enabled",
                 "/project/ - Failed to load resource", "Possibly unhandled rejection: undefined")


class Failed(Exception):
    pass


class Ui:
    def __init__(self, url, shots):
        self.url = url.rstrip("/")
        self.shots = shots
        options = webdriver.ChromeOptions()
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--window-size=1400,1000", "--lang=en-US"):
            options.add_argument(a)
        options.binary_location = "/usr/bin/chromium"
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.d.implicitly_wait(0)
        self.step = "start"

    def close(self):
        self.d.quit()

    def wait(self, what, condition, timeout=WAIT):
        try:
            # a page that reloads under a probe leaves it holding elements of the old page: probe again
            return WebDriverWait(self.d, timeout, poll_frequency=0.2,
                                 ignored_exceptions=(StaleElementReferenceException,)).until(condition)
        except TimeoutException:
            raise Failed("%s: %s did not happen within %d s" % (self.step, what, timeout))

    def find(self, by, value, within=None):
        scope = within or self.d
        return self.wait("%s to appear" % value, lambda _: next(
            (e for e in scope.find_elements(by, value) if e.is_displayed()), False))

    def present(self, by, value, within=None):
        """An element that may be hidden (the select under a themed drop-down)."""
        scope = within or self.d
        return self.wait("%s to exist" % value, lambda _: next(iter(scope.find_elements(by, value)), False))

    def choose(self, select_id, value, within=None):
        """Picks an option of a select that Horizon's theme hides behind its own drop-down."""
        select = self.present(By.ID, select_id, within)
        self.d.execute_script("arguments[0].value = arguments[1];"
                              "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", select, value)
        if Select(select).first_selected_option.get_attribute("value") != value:
            raise Failed("%s: %s has no option %s" % (self.step, select_id, value))

    def click(self, by, value, within=None):
        element = self.find(by, value, within)
        self.wait("%s to be clickable" % value, lambda _: element.is_enabled())
        element.click()

    def no_errors(self):
        """Fails on a visible error message, or on an error of the browser console that is ours."""
        for e in self.d.find_elements(By.CSS_SELECTOR, ".alert-danger, .alert-error, .toast-error, .has-error"):
            if e.is_displayed() and e.text.strip():
                raise Failed("%s: the page shows an error: %s" % (self.step, e.text.strip()))
        for entry in self.d.get_log("browser"):
            if entry["level"] == "SEVERE" and not any(n in entry["message"] for n in CONSOLE_NOISE):
                raise Failed("%s: the browser console reports: %s" % (self.step, entry["message"][:500]))

    def begin(self, step):
        self.step = step
        print("step:", step, file=sys.stderr, flush=True)

    def login(self, user):
        self.begin("log in as " + user)
        self.d.get(self.url + "/auth/login/")
        self.find(By.ID, "id_username").send_keys(user)
        self.find(By.ID, "id_password").send_keys(user + "pw")
        self.click(By.CSS_SELECTOR, "button[type=submit]")
        self.wait("the login to finish", lambda d: "/auth/login" not in d.current_url)

    def images_page(self):
        self.d.get(self.url + "/project/images/")
        # the table is there (its footer counts the rows; an empty Django table says so instead)
        self.find(By.XPATH, "//*[starts-with(normalize-space(), 'Displaying')] | //td[normalize-space()="
                            "'No items to display.']")

    def row(self, name):
        return self.find(By.XPATH, "//tr[.//a[normalize-space()='%s']]" % name)

    def row_action(self, name, action):
        # the Angular table renders a row before its actions (they wait for the policy checks): wait for them
        def controls(_):
            row = self.row(name)
            direct = [a for a in row.find_elements(By.XPATH, ".//a[normalize-space()='%s'] | .//button["
                                                             "normalize-space()='%s']" % (action, action))
                      if a.is_displayed()]
            toggles = [t for t in row.find_elements(By.CSS_SELECTOR, ".dropdown-toggle") if t.is_displayed()]
            return (row, direct, toggles) if direct or toggles else False
        try:
            row, direct, toggles = self.wait("the actions of image %s" % name, controls)
        except Failed:
            raise Failed("%s: image %s has no action menu" % (self.step, name))
        if direct:
            direct[0].click()
            return
        toggles[0].click()
        self.click(By.XPATH, ".//a[normalize-space()='%s'] | .//button[normalize-space()='%s']" % (action, action), row)

    def await_status(self, name, status):
        self.wait("image %s to be %s" % (name, status), lambda _: self._row_shows(name, status), timeout=120)

    def _row_shows(self, name, status):
        self.images_page()
        rows = self.d.find_elements(By.XPATH, "//tr[.//a[normalize-space()='%s']]" % name)
        return bool(rows) and status in rows[0].text

    def await_gone(self, name):
        def gone(_):
            self.images_page()
            return not self.d.find_elements(By.XPATH, "//tr[.//a[normalize-space()='%s']]" % name)
        self.wait("image %s to leave the list" % name, gone, timeout=120)

    def modal(self):
        """The open dialog (one with buttons: Horizon's 'Working' spinner is a dialog too, without)."""
        return self.wait("a dialog to open", lambda d: next(
            (x for x in d.find_elements(By.CSS_SELECTOR, ".modal") if x.is_displayed()
             and x.find_elements(By.CSS_SELECTOR, ".modal-footer")), False))

    def dialog(self, name, action):
        """Opens the dialog of a row action of image {name}."""
        self.images_page()
        self.row_action(name, action)
        return self.modal()

    def submit(self, m, by, value):
        """Checks the dialog shows no error, presses its button, and waits for it to close."""
        self.no_errors()
        self.click(by, value, m)
        self.closed()

    def closed(self, timeout=120):
        """Waits for the dialog to close: its requests (an upload too) are done, nothing is cut by leaving."""
        self.wait("the dialog to close", lambda d: not [x for x in d.find_elements(By.CSS_SELECTOR, ".modal")
                                                          if x.is_displayed()], timeout)

    # the Angular panel

    def ng_create(self, name, path):
        self.begin("create %s with an upload (Angular)" % name)
        self.images_page()
        self.click(By.XPATH, "//button[contains(., 'Create Image')]")
        m = self.modal()
        self.find(By.ID, "imageForm-name", m).send_keys(name)
        # ng-file-upload's input is hidden; the file goes straight into it
        self.wait("the file input", lambda d: d.find_elements(By.CSS_SELECTOR, "input[type=file]"))
        self.d.find_elements(By.CSS_SELECTOR, "input[type=file]")[-1].send_keys(path)
        Select(self.find(By.ID, "imageForm-format", m)).select_by_visible_text("Raw")
        self.submit(m, By.CSS_SELECTOR, "button.finish")
        self.await_status(name, "Active")
        self.no_errors()

    def metadata_value(self, m, label, value):
        item = self.find(By.XPATH, ".//li[.//*[normalize-space()='%s']][.//input[@name='property']]" % label, m)
        field = item.find_element(By.CSS_SELECTOR, "input[name=property]")
        field.clear()
        field.send_keys(value)

    def add_from_catalog(self, m, namespace):
        item = self.find(By.XPATH, ".//li[.//span[normalize-space()='%s']]" % namespace, m)
        item.find_element(By.CSS_SELECTOR, "a.btn .fa-plus").click()

    def add_custom(self, m, key):
        self.find(By.NAME, "customItem", m).send_keys(key)
        self.click(By.XPATH, ".//input[@name='customItem']/following::button[1]", m)

    def ng_edit_metadata(self, name, custom_key, custom_value):
        self.begin("edit %s: a catalog property and a custom one (Angular)" % name)
        m = self.dialog(name, "Edit Image")
        self.click(By.XPATH, ".//li[contains(@class, 'nav-item') or @ng-repeat]//*[normalize-space()='Metadata']", m)
        self.add_from_catalog(m, "Shutdown Behavior")
        self.add_custom(m, custom_key)
        self.metadata_value(m, custom_key, custom_value)
        self.metadata_value(m, "os_shutdown_timeout", "30")
        self.submit(m, By.CSS_SELECTOR, "button.finish")
        self.images_page()
        self.no_errors()

    def ng_update_metadata(self, name):
        self.begin("Update Metadata of %s from the catalog" % name)
        m = self.dialog(name, "Update Metadata")
        self.add_from_catalog(m, "Shutdown Behavior")
        self.metadata_value(m, "os_shutdown_timeout", "45")
        self.submit(m, By.XPATH, ".//button[normalize-space()='Save']")
        self.images_page()
        self.no_errors()

    def ng_make_public(self, name):
        self.begin("make %s public (Angular)" % name)
        m = self.dialog(name, "Edit Image")
        self.click(By.XPATH, ".//label[normalize-space()='Public']", m)
        self.submit(m, By.CSS_SELECTOR, "button.finish")
        self.await_status(name, "Public")
        self.no_errors()

    def ng_delete(self, name):
        self.begin("delete %s (Angular)" % name)
        m = self.dialog(name, "Delete Image")
        self.submit(m, By.CSS_SELECTOR, "button.btn-danger")
        self.await_gone(name)
        self.no_errors()

    # the Django panel

    def dj_create(self, name, path):
        self.begin("create %s with an upload (Django)" % name)
        self.images_page()
        self.click(By.ID, "images__action_create")
        m = self.modal()
        self.find(By.ID, "id_name", m).send_keys(name)
        self.find(By.NAME, "image_file", m).send_keys(path)
        self.choose("id_disk_format", "raw", m)
        self.submit(m, By.CSS_SELECTOR, "input[type=submit]")
        self.await_status(name, "Active")
        self.no_errors()

    def dj_edit(self, name, description):
        self.begin("edit %s: its description, an extra property in Glance v2 (Django)" % name)
        m = self.dialog(name, "Edit Image")
        field = self.find(By.ID, "id_description", m)
        field.clear()
        field.send_keys(description)
        self.submit(m, By.CSS_SELECTOR, "input[type=submit]")
        self.images_page()
        self.no_errors()

    def dj_delete(self, name):
        self.begin("delete %s (Django)" % name)
        m = self.dialog(name, "Delete Image")
        self.submit(m, By.XPATH, ".//*[self::a or self::button or self::input][contains(@class, 'btn-danger')]")
        self.await_gone(name)
        self.no_errors()

    # Admin > System > Metadata Definitions

    def metadefs(self, namespace):
        self.begin("list the metadata definitions")
        self.d.get(self.url + "/admin/metadata_defs/")
        self.find(By.XPATH, "//td[contains(normalize-space(), 'CIM Processor Allocation Setting')]")
        self.no_errors()
        self.begin("import namespace " + namespace)
        self.click(By.ID, "namespaces__action_import")
        m = self.modal()
        self.choose("id_source_type", "raw", m)
        document = {"namespace": namespace, "display_name": "Xloud Horizon " + namespace.rsplit(":", 1)[-1],
                    "description": "made in Horizon", "visibility": "public", "protected": False,
                    "resource_type_associations": [{"name": "OS::Glance::Image"}],
                    "properties": {"xloud_hz_speed": {"title": "Speed", "type": "string",
                                                      "enum": ["slow", "fast"]}}}
        self.find(By.ID, "id_direct_input", m).send_keys(json.dumps(document))
        # the theme hides the checkbox behind its label
        self.click(By.XPATH, ".//label[@for='id_public'] | .//*[@id='id_public']/ancestor::label[1]", m)
        self.click(By.CSS_SELECTOR, "input[type=submit]", m)
        self.closed()
        self.no_errors()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("scenario")
    p.add_argument("--horizon", required=True)
    p.add_argument("--file", required=True)
    p.add_argument("--suffix", required=True)
    a = p.parse_args()
    ui = Ui(a.horizon, os.path.dirname(os.path.abspath(a.file)))
    s = a.suffix
    try:
        if a.scenario == "member-angular":
            ui.login("alice")
            kept, gone = "hz-ng-" + s, "hz-ng-gone-" + s
            ui.ng_create(kept, a.file)
            ui.ng_edit_metadata(kept, "hz_note", "h\u00e9llo \U0001F600")
            ui.ng_create(gone, a.file)
            ui.ng_delete(gone)
            result = {"kept": kept, "deleted": gone, "hz_note": "h\u00e9llo \U0001F600"}
        elif a.scenario == "member-legacy":
            ui.login("alice")
            kept, gone = "hz-dj-" + s, "hz-dj-gone-" + s
            ui.dj_create(kept, a.file)
            ui.dj_edit(kept, "caf\u00e9 \u0301 \U0001F4BF")
            ui.dj_create(gone, a.file)
            ui.dj_delete(gone)
            result = {"kept": kept, "deleted": gone, "description": "caf\u00e9 \u0301 \U0001F4BF"}
        elif a.scenario == "admin-angular":
            ui.login("admin")
            name = "hz-admin-" + s
            ui.ng_create(name, a.file)
            ui.ng_update_metadata(name)
            ui.ng_make_public(name)
            result = {"public": name}
        elif a.scenario == "admin-metadefs":
            ui.login("admin")
            namespace = "Xloud::Horizon::" + s
            ui.metadefs(namespace)
            result = {"namespace": namespace}
        else:
            raise Failed("unknown scenario " + a.scenario)
        print(json.dumps(result))
    except (Failed, WebDriverException) as e:
        shot = os.path.join(ui.shots, "horizon-%s-%s.png" % (a.scenario, s))
        try:
            ui.d.save_screenshot(shot)
        except WebDriverException:
            shot = "(none)"
        print("%s failed at step '%s': %s (screenshot: %s)" % (a.scenario, ui.step, getattr(e, "msg", None) or e,
                                                                shot), file=sys.stderr)
        sys.exit(1)
    finally:
        ui.close()


if __name__ == "__main__":
    main()
