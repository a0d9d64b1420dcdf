package zapi.grouproutes.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * A fast Z-API stand-in for CPU measurements (the role nginx with fixed bodies plays elsewhere): fixed bodies, no
 * checks, no latency, keep-alive, in a process of its own so its CPU is not counted against the client it serves.
 * Netty, because the JDK's {@code HttpServer} lost requests under this load and left clients waiting.
 * {@code /_stats} answers {@code <requests> <epoch ms of the first request> <epoch ms of the last request>};
 * {@code /_reset} starts counting again. Prints its port on stdout.
 * <pre>java ... FixedAnswerServer [latency-ms]     each answer after that long (default 0: at once)</pre>
 */
public final class FixedAnswerServer {

    private static final byte[] LINK = "{\"invitationLink\":\"https://chat.whatsapp.com/C4xSBr5kFWy8TpK3HZuqbn\"}"
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] STATUS = "{\"connected\":true,\"smartphoneConnected\":true}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] METADATA = metadata().getBytes(StandardCharsets.UTF_8);

    private static final AtomicLong REQUESTS = new AtomicLong();
    private static final AtomicLong FIRST = new AtomicLong();
    private static final AtomicLong LAST = new AtomicLong();
    private static long latencyMillis;

    private FixedAnswerServer() {
    }

    /** A reply of the size Z-API's documentation shows: a subject, a description and ten participants. */
    private static String metadata() {
        StringBuilder participants = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            participants.append(i == 0 ? "" : ",").append("{\"phone\":\"55119876543").append(i)
                    .append("\",\"isAdmin\":").append(i < 2).append(",\"isSuperAdmin\":").append(i == 0).append('}');
        }
        return "{\"phone\":\"120363019502650977-group\",\"owner\":\"5511999999999\",\"subject\":\"Grupo de teste\","
                + "\"creation\":1588721491000,\"invitationLink\":\"https://chat.whatsapp.com/C4xSBr5kFWy8TpK3HZuqbn\","
                + "\"communityId\":null,\"adminOnlyMessage\":false,\"adminOnlySettings\":false,\"requireAdminApproval\":false,"
                + "\"isGroupAnnouncement\":false,\"participants\":[" + participants + "],\"subjectTime\":1657389185000,"
                + "\"subjectOwner\":\"5511999999999\",\"description\":\"Um grupo para medir\",\"participantsCount\":10}";
    }

    public static void main(String[] args) throws Exception {
        latencyMillis = args.length > 0 ? Long.parseLong(args[0]) : 0;
        NioEventLoopGroup boss = new NioEventLoopGroup(1);
        NioEventLoopGroup workers = new NioEventLoopGroup(2);
        Channel channel = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65_536), new Answer());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        System.out.println(((java.net.InetSocketAddress) channel.localAddress()).getPort());
        System.out.flush();
        channel.closeFuture().sync();
    }

    private static final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String uri = request.uri();
            int query = uri.indexOf('?');
            String path = query < 0 ? uri : uri.substring(0, query);
            byte[] body;
            if (path.equals("/_stats")) {
                body = (REQUESTS.get() + " " + FIRST.get() + " " + LAST.get()).getBytes(StandardCharsets.UTF_8);
            } else if (path.equals("/_reset")) {
                REQUESTS.set(0);
                FIRST.set(0);
                LAST.set(0);
                body = new byte[0];
            } else {
                long now = System.currentTimeMillis();
                if (REQUESTS.incrementAndGet() == 1) {
                    FIRST.set(now);
                }
                LAST.set(now);
                body = path.endsWith("/status") ? STATUS : path.endsWith("/group-invitation-metadata") ? METADATA : LINK;
            }
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            boolean later = !path.startsWith("/_") && latencyMillis > 0;
            if (later) {
                // the connection's own event loop answers later; nothing blocks it meanwhile
                ctx.executor().schedule(() -> write(ctx, response, keepAlive), latencyMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
            } else {
                write(ctx, response, keepAlive);
            }
        }

        private static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
            if (keepAlive) {
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            }
        }
    }
}
