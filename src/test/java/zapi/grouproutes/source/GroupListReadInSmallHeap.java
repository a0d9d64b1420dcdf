package zapi.grouproutes.source;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The child JVM of {@link GroupListFileTest#streamsAnInputManyTimesItsHeap}: reads a generated list of
 * {@code args[0]} lines, which repeat {@code args[1]} distinct group IDs, through {@link GroupListFile}, and
 * prints how many lines it produced and how many entries it read. Only the generator knows the lines.
 */
public final class GroupListReadInSmallHeap {

    public static void main(String[] args) throws Exception {
        long lines = Long.parseLong(args[0]);
        int distinct = Integer.parseInt(args[1]);
        byte[][] ids = new byte[distinct][];
        for (int i = 0; i < distinct; i++) {
            ids[i] = String.format("%018d-group%n", 120363000000000000L + i).getBytes(StandardCharsets.US_ASCII);
        }
        long[] produced = {0};
        InputStream generated = new InputStream() {
            private byte[] current = new byte[0];
            private int pos;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (pos == current.length) {
                    if (produced[0] == lines) {
                        return -1;
                    }
                    current = ids[(int) (produced[0]++ % distinct)];
                    pos = 0;
                }
                int n = Math.min(length, current.length - pos);
                System.arraycopy(current, pos, buffer, offset, n);
                pos += n;
                return n;
            }
        };
        long entries = 0;
        try (GroupListFile file = GroupListFile.open(generated, "big.txt")) {
            while (file.hasNext()) {
                if (!file.next().isValid()) {
                    throw new IllegalStateException("a generated ID read as invalid");
                }
                entries++;
            }
        }
        System.out.println(produced[0] + " lines, " + entries + " entries");
    }

    private GroupListReadInSmallHeap() {
    }
}
