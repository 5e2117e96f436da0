"""The camera protocol on the real OpenCV file backends (image sequence and MJPG video)."""

from __future__ import annotations

import queue
import threading
import time

import cv2
import numpy as np
import pytest

from devices.camera import FileCamera, open_camera
from issuance.ports.camera import CameraState
from issuance.ports.camera_errors import CameraNotReady, CameraSpecInvalid


def numbered(index: int) -> np.ndarray:
    """A small frame whose pixel value tells which file it came from."""
    return np.full((48, 64, 3), 20 + 40 * index, np.uint8)


@pytest.fixture
def sequence(tmp_path):
    for index in range(4):
        cv2.imwrite(str(tmp_path / f"frame_{index:03d}.png"), numbered(index))
    return tmp_path / "frame_%03d.png"


def wait_for(predicate, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return False


def test_sequence_streams_to_a_queue_and_rewinds(sequence):
    camera = open_camera(f"file:{sequence}", fps=200)
    assert camera.status.state is CameraState.CONNECTED
    frames: queue.Queue = queue.Queue()
    camera.start(frames)
    try:
        assert camera.status.state is CameraState.BUSY
        got = [frames.get(timeout=5) for _ in range(10)]
    finally:
        camera.stop()
    assert camera.status.state is CameraState.CONNECTED
    # Files 0..3 then again from 0: the source loops like a live camera.
    values = [int(frame.image[0, 0, 0]) for frame in got]
    assert values == [20, 60, 100, 140, 20, 60, 100, 140, 20, 60]
    assert [frame.index for frame in got] == list(range(10))
    assert all(frame.image.shape == (48, 64, 3) for frame in got)
    camera.close()
    assert camera.status.state is CameraState.CLOSED


def test_frames_arrive_on_the_camera_thread_at_the_configured_pace(sequence):
    seen: list[tuple[float, str]] = []
    done = threading.Event()

    def on_frame(frame):
        seen.append((frame.timestamp, threading.current_thread().name))
        if len(seen) == 6:
            done.set()

    with open_camera(f"file:{sequence}?fps=25") as camera:
        camera.start(on_frame)
        assert done.wait(5)
        camera.stop()
    assert all(name != threading.current_thread().name for _, name in seen)
    span = seen[5][0] - seen[0][0]
    assert 0.15 < span < 0.5  # 5 intervals at 25 fps = 0.2 s


def test_a_full_queue_keeps_the_newest_frames(sequence):
    frames: queue.Queue = queue.Queue(maxsize=2)
    with open_camera(f"file:{sequence}", fps=200) as camera:
        camera.start(frames)
        time.sleep(0.2)
        camera.stop()
    newest = [frames.get_nowait().index, frames.get_nowait().index]
    assert newest[0] + 1 == newest[1] and newest[1] > 10


def test_source_vanishing_mid_stream_becomes_an_error_status(sequence):
    statuses = []
    frames: queue.Queue = queue.Queue()
    camera = open_camera(f"file:{sequence}", fps=100)
    camera.start(frames, on_status=statuses.append)
    frames.get(timeout=5)
    for path in sequence.parent.glob("frame_*.png"):  # "unplug" the camera
        path.unlink()
    assert wait_for(lambda: camera.status.state is CameraState.ERROR)
    assert "stopped delivering frames" in camera.status.reason_en
    assert camera.status.message("sq") and camera.status.message("sq") != camera.status.reason_en
    assert statuses[-1].state is CameraState.ERROR
    camera.stop()  # stopping a failed camera is harmless and keeps the reason
    assert camera.status.state is CameraState.ERROR
    with pytest.raises(CameraNotReady):
        camera.start(frames)
    camera.close()


def test_video_file_source(tmp_path):
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (64, 48))
    for index in range(3):
        writer.write(numbered(index))
    writer.release()
    frames: queue.Queue = queue.Queue()
    with open_camera(f"file:{path}", fps=200) as camera:
        camera.start(frames)
        got = [frames.get(timeout=5) for _ in range(7)]
        camera.stop()
    values = [int(round(frame.image[24, 32, 0] / 40)) for frame in got]  # MJPG is lossy
    assert values == [0, 1, 2, 0, 1, 2, 0]


def test_missing_sources_open_into_an_error_status_not_an_exception(tmp_path):
    missing_file = open_camera(f"file:{tmp_path / 'nothing.avi'}")
    assert missing_file.status.state is CameraState.ERROR
    assert "could not be opened" in missing_file.status.reason_en
    missing_frames = open_camera(f"file:{tmp_path / 'frame_%03d.png'}")
    assert missing_frames.status.state is CameraState.ERROR
    # No camera device exists on this machine at index 99.
    device = open_camera("opencv:99")
    assert device.status.state is CameraState.ERROR
    with pytest.raises(CameraNotReady) as refused:
        device.start(lambda frame: None)
    assert refused.value.message("sq") and refused.value.message("en")
    for camera in (missing_file, missing_frames, device):
        camera.close()


@pytest.mark.parametrize("spec", ["", "webcam:0", "opencv:", "opencv:front", "file:"])
def test_malformed_specs_are_refused(spec):
    with pytest.raises(CameraSpecInvalid) as refused:
        open_camera(spec)
    assert refused.value.message("sq") != refused.value.message("en")


def test_spec_options_are_parsed(sequence):
    camera = open_camera(f"file:{sequence}?fps=7.5")
    assert isinstance(camera, FileCamera) and camera.fps == 7.5
    camera.close()


def test_starting_twice_is_refused(sequence):
    with open_camera(f"file:{sequence}", fps=50) as camera:
        camera.start(queue.Queue(maxsize=1))
        with pytest.raises(CameraNotReady):
            camera.start(queue.Queue(maxsize=1))
        camera.stop()


def test_a_failing_consumer_turns_into_an_error_status(sequence):
    def broken(frame):
        raise RuntimeError("consumer bug")

    with open_camera(f"file:{sequence}", fps=100) as camera:
        camera.start(broken)
        assert wait_for(lambda: camera.status.state is CameraState.ERROR)
        assert "receiving the frames failed" in camera.status.reason_en
