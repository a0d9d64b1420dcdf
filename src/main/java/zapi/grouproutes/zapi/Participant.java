package zapi.grouproutes.zapi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/** A group member; {@code phone} may be a LID ({@code ...@lid}) rather than a phone number. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Participant(
        @JsonDeserialize(using = Lenient.Text.class) String phone,
        @JsonProperty("isAdmin") @JsonDeserialize(using = Lenient.Bool.class) Boolean isAdmin,
        @JsonProperty("isSuperAdmin") @JsonDeserialize(using = Lenient.Bool.class) Boolean isSuperAdmin,
        @JsonDeserialize(using = Lenient.EpochMillis.class) Long subjectTime,
        @JsonDeserialize(using = Lenient.Text.class) String subjectOwner) {

    public boolean admin() {
        return Boolean.TRUE.equals(isAdmin) || Boolean.TRUE.equals(isSuperAdmin);
    }
}
