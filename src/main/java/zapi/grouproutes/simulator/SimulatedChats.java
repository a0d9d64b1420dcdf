package zapi.grouproutes.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/**
 * The instance's chats as {@code GET /groups?page=N&pageSize=M} lists them (Z-API's "Fetch Groups" page):
 * the groups it is in, with other chats mixed in as the real listing has them (contacts by number and by
 * LID, broadcast lists, a community's announcement group), flags as strings the way the docs' example
 * sends them ({@code "isMarkedSpam": "false"}) and {@code isGroup} now a boolean, now a string.
 * <p>
 * Pages are offsets into the current list, as a listing without a cursor can only be: a chat added or
 * removed while a client reads the pages moves the ones after it, which is what a client has to live with.
 */
final class SimulatedChats {

    private final List<Map<String, Object>> chats = new ArrayList<>();
    private final Set<Integer> failingPages = ConcurrentHashMap.newKeySet();
    private volatile IntConsumer afterPage = page -> { };

    /** Adds {@code count} groups the instance is in, from {@code 120363<first>-group} on, and every fifth a non-group chat. */
    synchronized List<String> join(long first, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long n = first + i;
            String id = String.format("120363%012d-group", n);
            ids.add(id);
            chats.add(group(id, n, i % 50 == 7));
            if (i % 5 == 0) {
                chats.add(otherChat(n));
            }
        }
        return ids;
    }

    /** The instance was removed from the group (or left it): the group leaves the listing. */
    synchronized boolean leave(String groupId) {
        return chats.removeIf(chat -> groupId.equals(chat.get("phone")));
    }

    /** The instance is added to a group: it comes first, as a chat with a new message does. */
    synchronized void joinFirst(String groupId) {
        chats.add(0, group(groupId, 0, false));
    }

    synchronized int size() {
        return chats.size();
    }

    /** This page answers 500 from now on, however often it is asked for. */
    void failPage(int page) {
        failingPages.add(page);
    }

    void healPage(int page) {
        failingPages.remove(page);
    }

    /** Runs after each page is served, with the page's number: a test changes the listing between two pages. */
    void afterEachPage(IntConsumer action) {
        afterPage = action == null ? page -> { } : action;
    }

    boolean failing(int page) {
        return failingPages.contains(page);
    }

    synchronized List<Map<String, Object>> page(int page, int pageSize) {
        long from = (long) (page - 1) * pageSize;
        if (from >= chats.size()) {
            return List.of();
        }
        return List.copyOf(chats.subList((int) from, (int) Math.min(chats.size(), from + pageSize)));
    }

    /** A group chat of the listing (an announcement group included), as a client should take it. */
    static boolean isGroup(Map<String, Object> chat) {
        return String.valueOf(chat.get("phone")).endsWith("-group");
    }

    void served(int page) {
        afterPage.accept(page);
    }

    private static Map<String, Object> group(String id, long n, boolean announcement) {
        Map<String, Object> chat = new LinkedHashMap<>();
        // a community's announcement group: isGroup false, isGroupAnnouncement true (the chats page)
        chat.put("isGroup", announcement ? "false" : n % 2 == 0 ? Boolean.TRUE : "true");
        if (announcement) {
            chat.put("isGroupAnnouncement", "true");
        }
        chat.put("name", "Grupo " + n);
        chat.put("phone", id);
        chat.put("unread", "0");
        chat.put("lastMessageTime", String.valueOf(1_730_918_668_000L - n * 1000));
        chat.put("isMuted", "0");
        chat.put("isMarkedSpam", "false");
        chat.put("archived", "false");
        chat.put("pinned", "false");
        chat.put("muteEndTime", null);
        chat.put("messagesUnread", "0");
        return chat;
    }

    private static Map<String, Object> otherChat(long n) {
        Map<String, Object> chat = new LinkedHashMap<>();
        switch ((int) (n % 3)) {
            case 0 -> {
                chat.put("isGroup", "false");
                chat.put("name", "Contato " + n);
                chat.put("phone", String.format("55119%08d", n % 100_000_000));
            }
            case 1 -> {
                // a contact WhatsApp names by LID only (Z-API's LID page: phone and chatLid both @lid)
                String lid = String.format("%015d@lid", 100_000_000_000_000L + n);
                chat.put("isGroup", false);
                chat.put("name", "Contato " + n);
                chat.put("phone", lid);
                chat.put("chatLid", lid);
            }
            default -> {
                chat.put("isGroup", "false");
                chat.put("name", String.valueOf(1_624_901_640L + n) + "-broadcast");
                chat.put("phone", String.valueOf(1_624_901_640L + n) + "-broadcast");
            }
        }
        chat.put("unread", "0");
        chat.put("lastMessageTime", "1730918668000");
        chat.put("isMuted", "0");
        chat.put("isMarkedSpam", "false");
        chat.put("archived", "false");
        chat.put("pinned", "false");
        chat.put("muteEndTime", null);
        chat.put("messagesUnread", "0");
        return chat;
    }
}
