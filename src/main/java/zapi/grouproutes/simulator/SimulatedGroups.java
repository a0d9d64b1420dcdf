package zapi.grouproutes.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deterministic groups: the same ID always has the same subject, owner, members and link (until the link
 * is redefined). IDs whose digits end in {@code 404} do not exist; those ending in {@code 500} have a
 * link but their metadata call always fails, which shows PARTIAL rows in the demo.
 */
final class SimulatedGroups {

    private final Map<String, Integer> linkGeneration = new ConcurrentHashMap<>();
    private final Map<String, String> groupByLinkCode = new ConcurrentHashMap<>();
    /** Subjects set by a test, in place of the deterministic one (a hostile text, say). */
    private final Map<String, String> subjects = new ConcurrentHashMap<>();

    /** Members added by a test, beyond the deterministic ones. */
    private final Map<String, Integer> addedMembers = new ConcurrentHashMap<>();

    void rename(String groupId, String subject) {
        subjects.put(groupId, subject);
    }

    void addMembers(String groupId, int count) {
        addedMembers.merge(groupId, count, Integer::sum);
    }

    static boolean missing(String groupId) {
        return digits(groupId).endsWith("404");
    }

    static boolean metadataBroken(String groupId) {
        return digits(groupId).endsWith("500");
    }

    String invitationLink(String groupId) {
        return link(groupId, linkGeneration.getOrDefault(groupId, 0));
    }

    /** A new link, as Z-API's redefine does: the old one is revoked, so its metadata is no longer found. */
    String redefineLink(String groupId) {
        groupByLinkCode.remove(codeOf(invitationLink(groupId)));
        return link(groupId, linkGeneration.merge(groupId, 1, Integer::sum));
    }

    private static String codeOf(String link) {
        return link.substring(link.lastIndexOf('/') + 1);
    }

    private String link(String groupId, int generation) {
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(hash(groupId + "#" + generation)).substring(0, 22);
        groupByLinkCode.put(code, groupId);
        return "https://chat.whatsapp.com/" + code;
    }

    Optional<String> groupOfLink(String link) {
        String prefix = "https://chat.whatsapp.com/";
        if (link == null || !link.startsWith(prefix)) {
            return Optional.empty();
        }
        return Optional.ofNullable(groupByLinkCode.get(link.substring(prefix.length())));
    }

    Map<String, Object> metadata(String groupId) {
        byte[] h = hash(groupId);
        int members = 2 + (h[0] & 0x0f) + addedMembers.getOrDefault(groupId, 0);
        String owner = "55119" + String.format("%08d", ((h[1] & 0xff) << 16 | (h[2] & 0xff) << 8 | (h[3] & 0xff)) % 100_000_000);
        long creation = 1_600_000_000_000L + ((h[4] & 0xffL) << 24 | (h[5] & 0xffL) << 16 | (h[6] & 0xffL) << 8) ;
        List<Map<String, Object>> participants = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("phone", i == 0 ? owner : "55118" + String.format("%08d", (Math.abs(groupId.hashCode()) + i * 7919) % 100_000_000));
            // the docs type these as "string" and the examples send booleans: send both kinds
            p.put("isAdmin", i == 1 ? "true" : Boolean.FALSE);
            p.put("isSuperAdmin", i == 0);
            participants.add(p);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("phone", groupId);
        body.put("owner", owner);
        body.put("subject", subjects.getOrDefault(groupId, "Grupo " + groupId.substring(0, Math.min(6, groupId.length())) + " \u2013 Z-API"));
        body.put("description", (h[7] & 1) == 0 ? null : "Grupo de demonstra\u00e7\u00e3o, \"aspas\", v\u00edrgulas, e\nquebra de linha");
        body.put("creation", creation);
        body.put("invitationLink", invitationLink(groupId));
        body.put("contactsCount", members - 1);
        body.put("participantsCount", members);
        body.put("participants", participants);
        body.put("subjectTime", creation + 86_400_000L);
        body.put("subjectOwner", owner);
        body.put("communityId", null);
        return body;
    }

    private static String digits(String groupId) {
        int dash = groupId.indexOf('-');
        String first = dash < 0 ? groupId : groupId.substring(0, dash);
        String second = dash < 0 ? "" : groupId.substring(dash + 1);
        return second.chars().allMatch(Character::isDigit) && !second.isEmpty() ? second : first;
    }

    private static byte[] hash(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
