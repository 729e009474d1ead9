package dev.switchboard.transport.netty;

import static dev.switchboard.transport.netty.TestClient.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WriteQueueTest {
  @Test
  void runsCommandsInOrderOnTheEventLoopAndFlushesOncePerBatch() {
    List<String> log = new ArrayList<>();
    EmbeddedChannel channel =
        new EmbeddedChannel(
            new io.netty.channel.ChannelOutboundHandlerAdapter() {
              @Override
              public void flush(io.netty.channel.ChannelHandlerContext ctx) {
                log.add("flush");
              }
            });
    WriteQueue queue = new WriteQueue(channel);
    for (int i = 0; i < 3; i++) {
      int n = i;
      queue.enqueue(new LoggingCommand(log, "c" + n));
    }
    assertTrue(log.isEmpty(), "nothing runs on the calling thread");
    channel.runPendingTasks();
    assertEquals(List.of("c0", "c1", "c2", "flush"), log);
    channel.finishAndReleaseAll();
  }

  @Test
  void commandsForADeadEventLoopAreAbortedAndReleaseTheirBuffers() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    NioSocketChannel channel = new NioSocketChannel();
    group.register(channel).sync();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    assertTrue(group.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS));

    WriteQueue queue = new WriteQueue(channel);
    ByteBuf frame = ByteBufAllocator.DEFAULT.directBuffer(16).writeLong(1).writeLong(2);
    CountDownLatch aborted = new CountDownLatch(1);
    queue.enqueue(
        new WriteQueue.Command() {
          @Override
          public void run() {
            throw new AssertionError("must not run");
          }

          @Override
          public void abort() {
            frame.release();
            aborted.countDown();
          }
        });
    assertTrue(aborted.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertEquals(0, frame.refCnt());
  }

  private record LoggingCommand(List<String> log, String name) implements WriteQueue.Command {
    @Override
    public void run() {
      log.add(name);
    }

    @Override
    public void abort() {
      log.add("abort " + name);
    }
  }
}
