package zapi.grouproutes.database;

/** A JDBC URL cut down to what may appear in a log line: a password can hide in its query or user-info. */
final class SafeUrl {

    private SafeUrl() {
    }

    static String of(String url) {
        if (url == null) {
            return "(none)";
        }
        String cut = url;
        for (char separator : new char[] {'?', ';'}) {
            int at = cut.indexOf(separator);
            if (at >= 0) {
                cut = cut.substring(0, at);
            }
        }
        // jdbc:postgresql://user:secret@host/db
        int scheme = cut.indexOf("//");
        int userInfo = cut.indexOf('@', Math.max(scheme, 0));
        if (scheme >= 0 && userInfo > scheme) {
            cut = cut.substring(0, scheme + 2) + cut.substring(userInfo + 1);
        }
        return cut;
    }
}
