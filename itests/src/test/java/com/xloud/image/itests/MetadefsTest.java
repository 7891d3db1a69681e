package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metadata definitions catalog: Glance's own 33 definition files (Debian's glance-common)
 * loaded with {@code ./xloud metadefs load}, read back through the API and with glanceclient's
 * {@code md-*} commands, changed by admins only, hidden where Glance hides it, exported, kept by the
 * registry rebuild and recorded in the audit trail.
 */
class MetadefsTest {
    static final Path GLANCE_METADEFS = Path.of("/usr/share/glance-common/metadefs");
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Node node;

    @BeforeAll
    static void start() throws Exception {
        node = Node.start(dir.resolve("node"));
        String out = xloud("metadefs", "load", GLANCE_METADEFS.toString(), "--port", Integer.toString(node.port));
        assertTrue(out.contains("33 namespace(s) loaded, 0 skipped"), out);
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    static String xloud(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Node.HOME.resolve("xloud").toString()));
        cmd.addAll(List.of(args));
        Node.Run run = Node.run(dir.resolve("home"), cmd);
        assertEquals(0, run.exit(), run.out());
        return run.out();
    }

    static HttpResponse<String> as(String project, String roles, HttpRequest.Builder b) throws Exception {
        return node.send(b.header("X-User-Id", "u-" + project).header("X-Project-Id", project)
                .header("X-Roles", roles).build());
    }

    static JsonNode json(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        return r.body().isEmpty() ? null : JSON.readTree(r.body());
    }

    static HttpRequest.Builder send(String method, String path, String body) {
        return node.request(path).header("Content-Type", "application/json").method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    }

    static HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return as("admin-project", "admin", send(method, path, body));
    }

    static String message(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).get("message").asText();
    }

    /** Every namespace an admin sees, following the next links. */
    static List<JsonNode> allNamespaces(String query) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        String next = "/v2/metadefs/namespaces" + query;
        while (next != null) {
            JsonNode page = json(admin("GET", next, null), 200);
            page.get("namespaces").forEach(all::add);
            next = page.has("next") ? page.get("next").asText() : null;
        }
        return all;
    }

    @Test
    void glancesOwnDefinitionsLoadAndReadBack() throws Exception {
        List<JsonNode> namespaces = allNamespaces("?limit=7&sort_key=namespace&sort_dir=asc");
        Set<String> names = new TreeSet<>();
        namespaces.forEach(n -> names.add(n.get("namespace").asText()));
        assertTrue(names.size() >= 33, names.toString());
        List<String> inOrder = namespaces.stream().map(n -> n.get("namespace").asText()).toList();
        assertEquals(new ArrayList<>(new TreeSet<>(inOrder)), inOrder, "pages in namespace order, none twice");
        int properties = 0;
        int objects = 0;
        int associations = 0;
        for (Path f : Files.list(GLANCE_METADEFS).filter(p -> p.toString().endsWith(".json")).toList()) {
            JsonNode file = JSON.readTree(f.toFile());
            String ns = file.get("namespace").asText();
            JsonNode shown = json(admin("GET", "/v2/metadefs/namespaces/" + ns, null), 200);
            assertEquals(file.path("display_name").asText(), shown.path("display_name").asText(), ns);
            Set<String> fileProps = new TreeSet<>();
            file.path("properties").fieldNames().forEachRemaining(fileProps::add);
            Set<String> shownProps = new TreeSet<>();
            shown.path("properties").fieldNames().forEachRemaining(shownProps::add);
            assertEquals(fileProps, shownProps, ns);
            assertEquals(file.path("objects").size(), shown.path("objects").size(), ns);
            assertEquals(file.path("resource_type_associations").size(),
                    shown.path("resource_type_associations").size(), ns);
            // as Horizon's Update Metadata reads each namespace, for any resource type, with or without a prefix
            for (String type : List.of("OS::Glance::Image", "OS::Nova::Flavor", "OS::Cinder::Volume")) {
                json(admin("GET", "/v2/metadefs/namespaces/" + ns + "?resource_type=" + type, null), 200);
            }
            properties += shownProps.size();
            objects += shown.path("objects").size();
            associations += shown.path("resource_type_associations").size();
        }
        // what glance-manage db_load_metadefs makes of the same files
        assertEquals(132, properties);
        assertEquals(23, objects);
        assertEquals(63, associations);
        Set<String> types = new TreeSet<>();
        json(admin("GET", "/v2/metadefs/resource_types", null), 200).get("resource_types")
                .forEach(t -> types.add(t.get("name").asText()));
        assertTrue(types.containsAll(List.of("OS::Glance::Image", "OS::Cinder::Volume", "OS::Nova::Server",
                "OS::Nova::Aggregate", "OS::Nova::Flavor", "OS::Trove::Instance")), types.toString());
        // a resource type's prefix applies to the names the namespace shows for it (Horizon's Update Metadata)
        JsonNode forFlavors = json(admin("GET", "/v2/metadefs/namespaces/OS::Compute::Libvirt?resource_type=OS::Nova::Flavor",
                null), 200);
        assertTrue(forFlavors.get("properties").has("hw:serial_port_count"), forFlavors.toString());
        JsonNode prefixed = json(admin("GET", "/v2/metadefs/namespaces/OS::Compute::Libvirt/properties/hw:serial_port_count"
                + "?resource_type=OS::Nova::Flavor", null), 200);
        assertEquals("serial_port_count", prefixed.get("name").asText());
        // files without a visibility are private to the admin project, as Glance loads them
        HttpResponse<String> hidden = as("p1", "member", node.request("/v2/metadefs/namespaces/OS::OperatingSystem").GET());
        assertEquals(404, hidden.statusCode(), hidden.body());
    }

    @Test
    void glanceClientMdCommands() throws Exception {
        Path home = dir.resolve("glance-home");
        String list = node.glance(home, "md-namespace-list");
        assertTrue(list.contains("OS::Compute::Libvirt") && list.contains("CIM::ProcessorAllocationSettingData"), list);
        String show = node.glance(home, "md-namespace-show", "OS::Compute::Libvirt");
        assertTrue(show.contains("libvirt Driver Options") && show.contains("serial_port_count"), show);
        assertTrue(node.glance(home, "md-object-list", "OS::Software::DBMS").contains("MySQL"));
        assertTrue(node.glance(home, "md-property-list", "OS::Compute::Libvirt").contains("boot_menu"));
        assertTrue(node.glance(home, "md-resource-type-list").contains("OS::Trove::Instance"));
        assertTrue(node.glance(home, "md-namespace-resource-type-list", "OS::Compute::Libvirt").contains("hw:"));
        // writes, as an operator does them
        node.glance(home, "md-namespace-create", "Xloud::CliTest", "--display-name", "CLI test", "--visibility",
                "public", "--description", "made by glance md-namespace-create");
        node.glance(home, "md-namespace-update", "Xloud::CliTest", "--display-name", "CLI test, renamed");
        node.glance(home, "md-object-create", "Xloud::CliTest", "--name", "box", "--schema",
                "{\"description\": \"a box\", \"properties\": {\"size\": {\"type\": \"integer\", \"title\": \"Size\"}},"
                        + " \"required\": [\"size\"]}");
        node.glance(home, "md-property-create", "Xloud::CliTest", "--name", "color", "--title", "Color", "--schema",
                "{\"type\": \"string\", \"enum\": [\"red\", \"blue\"], \"default\": \"red\"}");
        node.glance(home, "md-resource-type-associate", "Xloud::CliTest", "--name", "OS::Glance::Image", "--prefix",
                "xl_");
        node.glance(home, "md-tag-create-multiple", "Xloud::CliTest", "--names", "one,two,three");
        String tags = node.glance(home, "md-tag-list", "Xloud::CliTest");
        assertTrue(tags.contains("one") && tags.contains("two") && tags.contains("three"), tags);
        String shown = node.glance(home, "md-namespace-show", "Xloud::CliTest", "--resource-type", "OS::Glance::Image");
        assertTrue(shown.contains("CLI test, renamed") && shown.contains("xl_color"), shown);
        assertTrue(node.glance(home, "md-object-show", "Xloud::CliTest", "box").contains("a box"));
        assertTrue(node.glance(home, "md-property-show", "Xloud::CliTest", "color").contains("Color"));
        node.glance(home, "md-namespace-delete", "Xloud::CliTest");
        // an error is the node's message, not a client crash
        Node.Run missing = Node.run(home, node.glanceCommand("md-namespace-show", "Xloud::Nothing"));
        assertFalse(missing.exit() == 0, missing.out());
        assertTrue(missing.out().contains("Xloud::Nothing") && !missing.out().contains("AttributeError"), missing.out());
    }

    @Test
    void onlyAdminsChangeTheCatalogAndPrivateNamespacesStayHidden() throws Exception {
        HttpResponse<String> refused = as("p1", "member", send("POST", "/v2/metadefs/namespaces",
                "{\"namespace\": \"Xloud::Mine\"}"));
        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(message(refused).startsWith("You are not authorized to complete add_metadef_namespace action."));
        json(admin("POST", "/v2/metadefs/namespaces", "{\"namespace\": \"Xloud::P2\", \"owner\": \"p2\","
                + " \"visibility\": \"private\", \"protected\": true}"), 201);
        // the owner's project sees it (and may not change it: writes are the admin's)
        json(as("p2", "member", node.request("/v2/metadefs/namespaces/Xloud::P2").GET()), 200);
        HttpResponse<String> notOwners = as("p2", "member", send("POST", "/v2/metadefs/namespaces/Xloud::P2/tags/t", null));
        assertEquals(403, notOwners.statusCode(), notOwners.body());
        // another project does not
        HttpResponse<String> other = as("p1", "member", node.request("/v2/metadefs/namespaces/Xloud::P2").GET());
        assertEquals(404, other.statusCode());
        assertTrue(message(other).startsWith("The resource could not be found."), other.body());
        JsonNode p1List = json(as("p1", "member", node.request("/v2/metadefs/namespaces?limit=1000").GET()), 200);
        p1List.get("namespaces").forEach(n -> assertFalse(n.get("namespace").asText().equals("Xloud::P2")));
        assertEquals(403, as("p1", "member", node.request("/v2/metadefs/namespaces?marker=Xloud::P2").GET()).statusCode());
        // protected: no delete until an admin lifts it
        HttpResponse<String> prot = admin("DELETE", "/v2/metadefs/namespaces/Xloud::P2", null);
        assertEquals(403, prot.statusCode());
        assertTrue(message(prot).startsWith("Metadata definition namespace Xloud::P2 is protected and cannot be deleted."));
        HttpResponse<String> dup = admin("POST", "/v2/metadefs/namespaces", "{\"namespace\": \"Xloud::P2\"}");
        assertEquals(409, dup.statusCode());
        assertTrue(message(dup).startsWith("The metadata definition namespace=Xloud::P2 already exists."));
        HttpResponse<String> readOnly = admin("PUT", "/v2/metadefs/namespaces/Xloud::P2",
                "{\"namespace\": \"Xloud::P2\", \"created_at\": \"2020-01-01T00:00:00Z\"}");
        assertEquals(403, readOnly.statusCode());
        assertTrue(message(readOnly).startsWith("Attribute 'created_at' is read-only."));
        HttpResponse<String> badSchema = admin("POST", "/v2/metadefs/namespaces", "{\"namespace\": \"x\", \"visibility\": \"shared\"}");
        assertEquals(400, badSchema.statusCode());
        assertTrue(message(badSchema).startsWith("Provided object does not match schema 'namespace'"), badSchema.body());
        HttpResponse<String> tooLong = admin("POST", "/v2/metadefs/namespaces", "{\"namespace\": \"" + "n".repeat(81) + "\"}");
        assertEquals(400, tooLong.statusCode(), tooLong.body());
        // a PUT replaces every attribute: what it leaves out takes Glance's defaults
        JsonNode put = json(admin("PUT", "/v2/metadefs/namespaces/Xloud::P2", "{\"namespace\": \"Xloud::P2b\"}"), 200);
        assertEquals("private", put.get("visibility").asText());
        assertFalse(put.get("protected").asBoolean());
        assertEquals("admin-project", put.get("owner").asText());
        assertEquals(204, admin("DELETE", "/v2/metadefs/namespaces/Xloud::P2b", null).statusCode());
        assertEquals(404, admin("GET", "/v2/metadefs/namespaces/Xloud::P2b", null).statusCode());
    }

    @Test
    void tagsObjectsPropertiesAndAssociations() throws Exception {
        String ns = "/v2/metadefs/namespaces/Xloud::Parts";
        json(admin("POST", "/v2/metadefs/namespaces", "{\"namespace\": \"Xloud::Parts\", \"visibility\": \"public\","
                + " \"tags\": [{\"name\": \"a\"}], \"objects\": [{\"name\": \"o\", \"required\": [\"p\"],"
                + " \"properties\": {\"p\": {\"type\": \"integer\", \"title\": \"P\", \"minimum\": 1.5}}}],"
                + " \"properties\": {\"q\": {\"type\": \"boolean\", \"title\": \"Q\", \"default\": true}},"
                + " \"resource_type_associations\": [{\"name\": \"Xloud::Thing\", \"prefix\": \"x_\"}]}"), 201);
        // Glance's property model: default as a string, bounds as integers
        JsonNode q = json(admin("GET", ns + "/properties/q", null), 200);
        assertEquals("True", q.get("default").asText());
        assertEquals(1, json(admin("GET", ns + "/objects/o", null), 200).get("properties").get("p").get("minimum").asInt());
        // bulk tags replace, unless appended; an empty list changes nothing
        json(admin("POST", ns + "/tags", "{\"tags\": [{\"name\": \"b\"}, {\"name\": \"c\"}]}"), 201);
        assertEquals(Set.of("b", "c"), tagNames(ns));
        json(as("admin-project", "admin", send("POST", ns + "/tags", "{\"tags\": [{\"name\": \"d\"}]}")
                .header("X-Openstack-Append", "True")), 201);
        assertEquals(Set.of("b", "c", "d"), tagNames(ns));
        json(admin("POST", ns + "/tags", "{\"tags\": []}"), 201);
        assertEquals(Set.of("b", "c", "d"), tagNames(ns));
        HttpResponse<String> dupTag = admin("POST", ns + "/tags", "{\"tags\": [{\"name\": \"e\"}, {\"name\": \"E\"}]}");
        assertEquals(409, dupTag.statusCode());
        assertEquals(Set.of("b", "c", "d"), tagNames(ns), "a refused replacement changes nothing");
        json(admin("PUT", ns + "/tags/b", "{\"name\": \"bee\"}"), 200);
        assertEquals(Set.of("bee", "c", "d"), tagNames(ns));
        HttpResponse<String> bodyOnPost = admin("POST", ns + "/tags/z", "{\"name\": \"z\"}");
        assertEquals(400, bodyOnPost.statusCode());
        // renames that would collide
        json(admin("POST", ns + "/objects", "{\"name\": \"o2\"}"), 201);
        HttpResponse<String> collide = admin("PUT", ns + "/objects/o2", "{\"name\": \"o\"}");
        assertEquals(409, collide.statusCode());
        assertTrue(message(collide).startsWith("Invalid update. It would result in a duplicate metadata definition"
                + " object with the same name=o2 in namespace=Xloud::Parts."), collide.body());
        assertEquals(404, admin("GET", ns + "/objects/nothing", null).statusCode());
        assertTrue(message(admin("GET", ns + "/properties/nothing", null)).startsWith("Could not find property nothing"));
        // associations: the resource type exists from the first one on, and stays
        JsonNode assoc = json(admin("GET", ns + "/resource_types", null), 200);
        assertEquals("x_", assoc.get("resource_type_associations").get(0).get("prefix").asText());
        assertEquals(409, admin("POST", ns + "/resource_types", "{\"name\": \"Xloud::Thing\"}").statusCode());
        assertEquals(204, admin("DELETE", ns + "/resource_types/Xloud::Thing", null).statusCode());
        assertEquals(404, admin("DELETE", ns + "/resource_types/Xloud::Thing", null).statusCode());
        assertTrue(admin("GET", "/v2/metadefs/resource_types", null).body().contains("Xloud::Thing"));
        // bulk deletes
        assertEquals(204, admin("DELETE", ns + "/objects", null).statusCode());
        assertEquals(0, json(admin("GET", ns + "/objects", null), 200).get("objects").size());
        assertEquals(204, admin("DELETE", ns + "/tags", null).statusCode());
        assertEquals(Set.of(), tagNames(ns));
        assertEquals(204, admin("DELETE", ns, null).statusCode());
    }

    static Set<String> tagNames(String ns) throws Exception {
        Set<String> names = new HashSet<>();
        json(admin("GET", ns + "/tags", null), 200).get("tags").forEach(t -> names.add(t.get("name").asText()));
        return names;
    }

    @Test
    void exportWritesAFilePerNamespaceThatLoadsBack() throws Exception {
        Path out = dir.resolve("export");
        String printed = xloud("metadefs", "export", out.toString(), "--port", Integer.toString(node.port));
        assertTrue(printed.contains("namespace(s) exported"), printed);
        Path libvirt = out.resolve("libvirtDriverOptions.json");
        assertTrue(Files.exists(libvirt), "named after the display name, as glance-manage names it");
        JsonNode exported = JSON.readTree(libvirt.toFile());
        JsonNode original = JSON.readTree(GLANCE_METADEFS.resolve("compute-libvirt.json").toFile());
        assertEquals(original.get("namespace"), exported.get("namespace"));
        assertEquals(original.get("properties").size(), exported.get("properties").size());
        // loading what exists is skipped, unless merged
        String again = xloud("metadefs", "load", out.toString(), "--port", Integer.toString(node.port));
        assertTrue(again.contains("0 namespace(s) loaded"), again);
        String overwritten = xloud("metadefs", "load", libvirt.toString(), "--merge", "--overwrite", "--port",
                Integer.toString(node.port));
        assertTrue(overwritten.contains("1 namespace(s) loaded"), overwritten);
        JsonNode reloaded = json(admin("GET", "/v2/metadefs/namespaces/OS::Compute::Libvirt", null), 200);
        assertEquals(3, reloaded.get("properties").size());
        assertTrue(reloaded.get("protected").asBoolean());
    }

    @Test
    void theCatalogIsInTheAuditTrailAndSurvivesARegistryRebuild() throws Exception {
        json(admin("POST", "/v2/metadefs/namespaces", "{\"namespace\": \"Xloud::Audited\", \"tags\": [{\"name\": \"t\"}]}"), 201);
        JsonNode created = json(admin("GET", "/v2/audit?type=NamespaceCreated&limit=1000", null), 200);
        List<String> audited = new ArrayList<>();
        created.get("events").forEach(e -> audited.add(e.get("changes").get("namespace").asText()));
        assertTrue(audited.contains("Xloud::Audited") && audited.contains("OS::Compute::Libvirt"), audited.toString());
        JsonNode tagged = json(admin("GET", "/v2/audit?type=MetadefTagAdded&user=u-admin-project&limit=5", null), 200);
        assertEquals("t", tagged.get("events").get(0).get("changes").get("name").asText());
        String before = admin("GET", "/v2/metadefs/namespaces/Xloud::Audited", null).body();
        String report = xloud("rebuild-registry", "--port", Integer.toString(node.port));
        JsonNode result = JSON.readTree(report.substring(report.indexOf('{')));
        assertEquals("done", result.get("state").asText(), report);
        for (String table : List.of("metadef_namespaces", "metadef_objects", "metadef_properties", "metadef_tags",
                "metadef_resource_types", "metadef_namespace_resource_types")) {
            assertEquals("unchanged", result.get("tables").get(table).asText(), table + ": " + report);
        }
        assertEquals(before, admin("GET", "/v2/metadefs/namespaces/Xloud::Audited", null).body());
        assertEquals(204, admin("DELETE", "/v2/metadefs/namespaces/Xloud::Audited", null).statusCode());
    }
}
