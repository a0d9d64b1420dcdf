package zapi.grouproutes.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The characters of an input file, for both the text and the CSV parser, with what those parsers cannot
 * guard against handled underneath them:
 *
 * <ul>
 * <li>strict UTF-8: a byte sequence that is not UTF-8, a NUL byte (binary data) or a UTF-16/32 byte
 * order mark rejects the whole file, naming the line, instead of turning into U+FFFD and a misleading
 * row per line;</li>
 * <li>bounded lines: a line longer than the cap keeps its first {@code maxLineLength} characters and
 * then {@link #CUT}; the rest is skipped as it streams by, never held, so a 50 MB line costs no memory.
 * In CSV mode an odd number of quotes in the skipped part is made up for with one quote after the mark,
 * so a cut inside a quoted field does not swallow the lines after it;</li>
 * <li>a leading UTF-8 byte order mark is dropped, and a missing final line break is added, so the
 * parsers' line numbers are the file's.</li>
 * </ul>
 */
final class InputText extends Reader {

    /**
     * Marks where an overlong line was cut. NUL can mark it because a NUL in the file itself rejects the
     * file before any parser sees it.
     */
    static final char CUT = '\0';

    private static final int CHUNK = 64 * 1024;

    private final InputStream in;
    private final int maxLineLength;
    private final boolean csv;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(CHUNK);
    private final CharBuffer decoded = CharBuffer.allocate(CHUNK);
    /** What the parsers read next: the decoded characters after cutting; at most 2 characters per input character. */
    private final StringBuilder out = new StringBuilder(2 * CHUNK + 2);
    private int outPos;

    private final byte[] head = new byte[4];
    private int headLength;
    private long line = 1;
    private int column;
    private boolean cutting;
    private long skippedQuotes;
    private boolean lastWasLineBreak = true;
    private boolean started;
    private boolean inputDone;
    private boolean finished;

    InputText(InputStream in, int maxLineLength, boolean csv) {
        this.in = in;
        this.maxLineLength = maxLineLength;
        this.csv = csv;
        bytes.flip();
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (outPos == out.length()) {
            if (finished) {
                return -1;
            }
            out.setLength(0);
            outPos = 0;
            fill();
        }
        int n = Math.min(length, out.length() - outPos);
        out.getChars(outPos, outPos + n, buffer, offset);
        outPos += n;
        return n;
    }

    /** Decodes the next chunk into {@link #out}; at the end of the input, finishes the last line. */
    private void fill() throws IOException {
        if (!inputDone) {
            bytes.compact();
            int read = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (read > 0) {
                rememberHead(bytes.array(), bytes.position(), read);
                bytes.position(bytes.position() + read);
            }
            bytes.flip();
            if (!started) {
                checkByteOrderMark();
            }
            inputDone = read < 0;
        }
        decoded.clear();
        CoderResult result = decoder.decode(bytes, decoded, inputDone);
        if (inputDone && result.isUnderflow()) {
            result = decoder.flush(decoded);
        }
        decoded.flip();
        emit(decoded);
        if (result.isError()) {
            if (holdsZeroByte(bytes)) {
                throw binary();
            }
            throw new RejectedInputException(InputRejection.at(line,
                    "the file is not UTF-8 text (bytes that UTF-8 does not allow)",
                    "save the list as UTF-8 (Excel: \"CSV UTF-8\"; a text editor: encoding UTF-8) and drop it again"));
        }
        if (inputDone && !bytes.hasRemaining() && result.isUnderflow()) {
            endOfInput();
        }
    }

    private void rememberHead(byte[] array, int from, int count) {
        for (int i = 0; i < count && headLength < head.length; i++) {
            head[headLength++] = array[from + i];
        }
    }

    /** UTF-16 and UTF-32 announce themselves; say so by name rather than as "not UTF-8". */
    private void checkByteOrderMark() throws IOException {
        if (headLength < 2 && !inputDone && bytes.remaining() < 2) {
            return;
        }
        started = true;
        int b0 = headLength > 0 ? head[0] & 0xff : -1;
        int b1 = headLength > 1 ? head[1] & 0xff : -1;
        if ((b0 == 0xFE && b1 == 0xFF) || (b0 == 0xFF && b1 == 0xFE)) {
            throw new RejectedInputException(InputRejection.at(1, "the file is UTF-16 or UTF-32 text (it starts with a byte order mark)",
                    "save the list as UTF-8 (Excel: \"CSV UTF-8\" rather than \"Unicode text\") and drop it again"));
        }
    }

    private void emit(CharBuffer chars) throws IOException {
        while (chars.hasRemaining()) {
            char c = chars.get();
            if (c == '\0') {
                throw binary();
            }
            if (c == '\uFEFF' && line == 1 && column == 0 && lastWasLineBreak && !cutting) {
                // a UTF-8 byte order mark, as Excel and Notepad write it
                lastWasLineBreak = false;
                continue;
            }
            if (c == '\n') {
                if (cutting && csv && skippedQuotes % 2 == 1) {
                    out.append('"');
                }
                out.append('\n');
                cutting = false;
                skippedQuotes = 0;
                column = 0;
                line++;
                lastWasLineBreak = true;
                continue;
            }
            lastWasLineBreak = false;
            if (cutting) {
                if (c == '"') {
                    skippedQuotes++;
                }
                continue;
            }
            if (column >= maxLineLength && c != '\r') {
                out.append(CUT);
                cutting = true;
                skippedQuotes = c == '"' ? 1 : 0;
                continue;
            }
            out.append(c);
            column++;
        }
    }

    private RejectedInputException binary() {
        return new RejectedInputException(InputRejection.at(line, looksLikeUtf16()
                ? "the file is UTF-16 text without a byte order mark (every other byte is zero)"
                : "the file holds binary data (a zero byte), not text",
                "drop a text list: UTF-8, one group ID per line (.txt) or a CSV with a group ID column"));
    }

    /** Binary data is rarely valid UTF-8 up to its first zero byte: say "binary" when one follows the bad bytes. */
    private static boolean holdsZeroByte(ByteBuffer undecoded) {
        for (int i = undecoded.position(); i < undecoded.limit(); i++) {
            if (undecoded.get(i) == 0) {
                return true;
            }
        }
        return false;
    }

    /** ASCII text in UTF-16 has a zero byte in every other position from the very start. */
    private boolean looksLikeUtf16() {
        return headLength >= 4 && ((head[0] == 0 && head[2] == 0 && head[1] != 0 && head[3] != 0)
                || (head[1] == 0 && head[3] == 0 && head[0] != 0 && head[2] != 0));
    }

    private void endOfInput() {
        if (!lastWasLineBreak) {
            if (cutting && csv && skippedQuotes % 2 == 1) {
                out.append('"');
            }
            out.append('\n');
            lastWasLineBreak = true;
        }
        finished = true;
    }

    /** The line the next character comes from (1-based); after the end, one past the last line. */
    long line() {
        return line;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
