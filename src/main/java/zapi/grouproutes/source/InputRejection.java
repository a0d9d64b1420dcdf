package zapi.grouproutes.source;

/**
 * Why a whole input file was rejected, in the three parts an operator needs.
 *
 * @param problem what is wrong, e.g. "a quote opens and is never closed"
 * @param where   where in the file, e.g. "line 12", or "the file itself"
 * @param remedy  what to do about it
 */
public record InputRejection(String problem, String where, String remedy) {

    static InputRejection at(long line, String problem, String remedy) {
        return new InputRejection(problem, "line " + line, remedy);
    }

    static InputRejection ofFile(String problem, String remedy) {
        return new InputRejection(problem, "the file itself", remedy);
    }

    /** The text of {@code <moved name>.reason.txt}. */
    public String reasonText(String fileName, String movedTo, String at) {
        return "File:       " + fileName + "\n"
                + "Rejected:   " + at + "\n"
                + "Moved to:   " + movedTo + "\n"
                + "Problem:    " + problem + "\n"
                + "Where:      " + where + "\n"
                + "What to do: " + remedy + "\n"
                + "Nothing from this file was sent to Z-API and no report was written for it.\n";
    }
}
