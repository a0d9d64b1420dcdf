package zapi.grouproutes.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/** Checks an answer's body against the schema the OpenAPI document gives for that operation and status. */
final class OpenApiSchemas {

    private final JsonNode document;

    OpenApiSchemas(JsonNode document) {
        this.document = document;
    }

    void assertMatches(String path, String status, String body) {
        assertMatches("get", path, status, body);
    }

    void assertMatches(String method, String path, String status, String body) {
        JsonNode content = document.path("paths").path(path).path(method).path("responses").path(status).path("content");
        assertThat(content.isObject() && content.size() > 0).as("%s %s has a content schema", path, status).isTrue();
        JsonNode schema = content.elements().next().path("schema");
        assertThat(schema.isMissingNode()).as("%s %s has a schema", path, status).isFalse();
        // the operation's schema, with the document's components beside it so that its $refs resolve
        ObjectNode standalone = ApiClient.JSON.createObjectNode();
        standalone.setAll((ObjectNode) schema.deepCopy());
        standalone.set("components", document.path("components").deepCopy());
        JsonSchema validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(standalone);
        Set<ValidationMessage> errors;
        try {
            errors = validator.validate(ApiClient.JSON.readTree(body));
        } catch (java.io.IOException e) {
            throw new AssertionError(path + " " + status + ": not JSON: " + body, e);
        }
        assertThat(errors).as("%s %s: %s against %s", path, status, body, schema).isEmpty();
    }
}
