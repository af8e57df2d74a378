package io.hawser.cri;

import java.nio.file.Path;

/**
 * The CRI plugin's settings, from configuration {@code io.hawser.cri}.
 *
 * @param socket                the socket kubelet and crictl connect to
 * @param streamingAddress      where the streaming server (exec, attach, port-forward) will
 *                              listen, {@code host:port}
 * @param defaultRuntimeHandler the runtime handler of pods that name none
 */
record CriSettings(Path socket, String streamingAddress, String defaultRuntimeHandler) {
}
