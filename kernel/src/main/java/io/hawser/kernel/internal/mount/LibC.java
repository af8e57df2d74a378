package io.hawser.kernel.internal.mount;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

/** The few C library calls the JDK has no API for. Each failing call throws with its errno. */
interface LibC extends Library {

    LibC INSTANCE = Native.load("c", LibC.class);

    /** unshare(2) flag: give the calling thread its own working directory, root and umask. */
    int CLONE_FS = 0x200;

    int mount(String source, String target, String type, NativeLong flags, String data) throws LastErrorException;

    int umount2(String target, int flags) throws LastErrorException;

    int unshare(int flags) throws LastErrorException;

    int chdir(String path) throws LastErrorException;

    /** The system's text for an errno value. */
    String strerror(int errno);
}
