package zapi.grouproutes.zapi;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;

/**
 * Deserializers for the fields Z-API types loosely: its docs say "string" for booleans the examples
 * send as JSON booleans, and old groups lack counts. A value we cannot read becomes null (unknown)
 * rather than failing the whole reply.
 */
final class Lenient {

    private Lenient() {
    }

    /** true/false as JSON booleans, strings ("true", "1", "sim") or numbers. */
    static final class Bool extends JsonDeserializer<Boolean> {
        @Override
        public Boolean deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                return t == JsonToken.VALUE_TRUE;
            }
            if (t == JsonToken.VALUE_NUMBER_INT) {
                return p.getLongValue() != 0;
            }
            if (t == JsonToken.VALUE_STRING) {
                return switch (p.getText().strip().toLowerCase(Locale.ROOT)) {
                    case "true", "1", "yes", "sim", "y", "s" -> Boolean.TRUE;
                    case "false", "0", "no", "nao", "não", "n" -> Boolean.FALSE;
                    default -> null;
                };
            }
            p.skipChildren();
            return null;
        }
    }

    /**
     * Epoch milliseconds as Z-API sends them; also numeric strings, epoch seconds (values too small to
     * be milliseconds after 1973) and ISO-8601 instants.
     */
    static final class EpochMillis extends JsonDeserializer<Long> {
        private static final long SMALLEST_MILLIS = 100_000_000_000L;

        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                return millis(p.getLongValue());
            }
            if (t == JsonToken.VALUE_STRING) {
                String text = p.getText().strip();
                if (text.matches("[0-9]{1,16}")) {
                    return millis(Long.parseLong(text));
                }
                try {
                    return Instant.parse(text).toEpochMilli();
                } catch (DateTimeParseException e) {
                    return null;
                }
            }
            p.skipChildren();
            return null;
        }

        private static Long millis(long value) {
            if (value <= 0) {
                return null;
            }
            return value < SMALLEST_MILLIS ? value * 1000 : value;
        }
    }

    /** Non-negative counts as numbers or numeric strings. */
    static final class Count extends JsonDeserializer<Integer> {
        @Override
        public Integer deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NUMBER_INT) {
                return p.getIntValue() >= 0 ? p.getIntValue() : null;
            }
            if (t == JsonToken.VALUE_STRING && p.getText().strip().matches("[0-9]{1,9}")) {
                return Integer.valueOf(p.getText().strip());
            }
            p.skipChildren();
            return null;
        }
    }

    /** Text fields: strings as they are, numbers and booleans as their text (an owner sent as a number). */
    static final class Text extends JsonDeserializer<String> {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            JsonToken t = p.currentToken();
            if (t.isScalarValue()) {
                return p.getText();
            }
            p.skipChildren();
            return null;
        }
    }
}
