package com.xloud.image.metadefs.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.xloud.image.api.images.ImageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Glance's JSON schemas of the catalog's documents, as {@code /v2/schemas/metadefs/*} serves them,
 * and the checks of request bodies against them (JSON Schema draft 4, as Glance validates).
 */
final class MetadefSchemas {
    static final List<String> NAMES = List.of("namespace", "namespaces", "resource_type", "resource_types",
            "object", "objects", "property", "properties", "tag", "tags");

    private final Map<String, JsonNode> documents = new LinkedHashMap<>();
    private final Map<String, JsonSchema> validators = new LinkedHashMap<>();

    MetadefSchemas(ObjectMapper json) {
        // Glance's documents carry keywords of its own (name, readOnly, links): annotations, not checks
        JsonMetaSchema v4 = JsonMetaSchema.getV4();
        JsonMetaSchema meta = JsonMetaSchema.builder(v4.getIri(), v4)
                .keyword(new NonValidationKeyword("name"))
                .keyword(new NonValidationKeyword("readOnly"))
                .keyword(new NonValidationKeyword("links"))
                .build();
        JsonSchemaFactory factory = JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4))
                .metaSchema(meta).build();
        for (String name : NAMES) {
            try (InputStream in = MetadefSchemas.class.getResourceAsStream("/schemas/metadefs/" + name + ".json")) {
                if (in == null) {
                    throw new IllegalStateException("schema " + name + " is missing from the bundle");
                }
                JsonNode doc = json.readTree(in);
                documents.put(name, doc);
                validators.put(name, factory.getSchema(doc));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The document served at {@code /v2/schemas/metadefs/<name>}, or null. */
    JsonNode document(String name) {
        return documents.get(name);
    }

    /** 400 with Glance's wording when {@code body} does not match the schema {@code name}. */
    void validate(String name, JsonNode body) {
        Set<ValidationMessage> errors = validators.get(name).validate(body);
        if (!errors.isEmpty()) {
            String reason = errors.stream().map(ValidationMessage::getMessage).sorted().findFirst().orElse("");
            String schemaName = documents.get(name).path("name").asText(name);
            throw ImageException.badRequest("Provided object does not match schema '" + schemaName + "': " + reason);
        }
    }
}
