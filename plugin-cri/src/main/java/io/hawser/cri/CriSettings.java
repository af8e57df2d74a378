package io.hawser.cri;

import java.nio.file.Path;
import java.util.List;

/**
 * The CRI plugin's settings, from configuration {@code io.hawser.cri}.
 *
 * @param socket                the socket kubelet and crictl connect to
 * @param streamingAddress      where the streaming server (exec, attach, port-forward) will
 *                              listen, {@code host:port}
 * @param defaultRuntimeHandler the runtime handler of pods that name none
 * @param cniConfDirectory      where the CNI network configuration is read from
 * @param cniPluginDirectories  where CNI plugin executables are looked up, in order
 */
record CriSettings(Path socket, String streamingAddress, String defaultRuntimeHandler,
                   Path cniConfDirectory, List<Path> cniPluginDirectories) {
}
