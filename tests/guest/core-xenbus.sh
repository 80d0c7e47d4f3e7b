#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# pvxen-core's xenbus frontend bus, in a domU on real Xen with a vif
# (xen-run --vif; without one its checks are skipped), driven through
# tests/modules/pvxen-xs-test.ko.
#
# The vif (device/vif/0, backed by dom0's netback) must show up on the
# "pvxen" bus with the right attributes; no driver binds it.  Driver
# binding, the state machine, the closing handshake and hotplug are tested
# on fake "pvxentest" devices this test creates itself under
# device/pvxentest (which the dom0 agent makes writable for the domU), with
# their backend nodes under the domU's own data/ and this script playing
# the backend.

# shellcheck disable=SC1091 # tests/guest/lib.sh, found at run time
. "$(dirname "$0")/lib.sh"

CORE=$PVXEN_MODDIR/pvxen-core.ko
TEST=$PVXEN_MODDIR/pvxen-xs-test.ko
DBG=/sys/kernel/debug
CMD=$DBG/pvxen-xs-test/cmd
DRV=$DBG/pvxen-xs-test/driver
XS=$DBG/pvxen/xenstore
BUS=/sys/bus/pvxen
DEVS=$BUS/devices
TDRV=$BUS/drivers/pvxen-xs-test
F=device/pvxentest/0
FS=$DEVS/pvxentest-0

xs() {
	echo "$*" >$CMD
	cat $CMD
}
drv() { awk -v k="$1" '$1 == k { print $2 }' $DRV 2>/dev/null; }
stat() { awk -v k="$1" '$1 == k { print $2 }' $XS 2>/dev/null; }
rd() { cat "$1" 2>/dev/null; }

has_state() { [ "$(rd "$1/state")" = "$2" ]; }
present() { [ -e "$1" ]; }
absent() { [ ! -e "$1" ]; }
xs_is() { [ "$(xs read "$1")" = "OK $2" ]; }
drv_is() { [ "$(drv "$1")" = "$2" ]; }
watches_are() { [ "$(stat watches)" = "$1" ]; }

# Create fake device $F with its backend at $B in state $1.
add_fake() {
	xs write "$B/state" "$1" >/dev/null
	xs write $F/backend-id "$domid" >/dev/null
	xs write $F/state 1 >/dev/null
	xs write $F/backend "$B" >/dev/null
}

plan 35

loaded pvxen_core || insmod "$CORE"
check "pvxen-core loaded" 'loaded pvxen_core'
check "bus /sys/bus/pvxen exists" '[ -d $DEVS ]'
check "insmod pvxen-xs-test (registers driver pvxentest)" 'insmod "$TEST"'
check "driver on the bus" '[ -d $TDRV ]'
r=$(xs read domid)
domid=${r#OK }
B=/local/domain/$domid/data/pvxentest-back/0
wbase=$(stat watches)
diag "domid $domid; $wbase watch(es); devices: $(echo $DEVS/* | sed "s|$DEVS/||g")"

# The vif libxl gave us (xen-run --vif).  Without a device/vif (no
# netback backs one: minixen's peer domain has none), its checks are
# skipped.
V=$DEVS/vif-0
case $(xs read device/vif) in
OK*) vif=1 ;;
*) vif= ;;
esac
# vif_check DESC EXPR: check, or SKIP without a vif.
vif_check() {
	if [ -n "$vif" ]; then
		check "$1" "$2"
	else
		ok 0 "$1 # SKIP no device/vif"
	fi
}
vif_check "vif-0 on the bus" 'until_ok 5 present $V'
vif_check "vif-0 nodename = device/vif/0" '[ "$(rd $V/nodename)" = device/vif/0 ]'
vif_check "vif-0 otherend = /local/domain/0/backend/vif/$domid/0 ('$(rd $V/otherend)')" \
	'[ "$(rd $V/otherend)" = "/local/domain/0/backend/vif/$domid/0" ]'
vif_check "vif-0 otherend_id = 0" '[ "$(rd $V/otherend_id)" = 0 ]'
st=$(xs read device/vif/0/state)
vif_check "vif-0 state = its xenstore state ('$(rd $V/state)', xenstore '$st')" \
	'[ "$st" = "OK 1" ] && [ "$(rd $V/state)" = Initialising ]'
vif_check "vif-0 devtype vif, no driver bound" \
	'[ "$(rd $V/devtype)" = vif ] && [ ! -e $V/driver ]'

# A fake device appears through the device/ watch and the driver binds.
check "device/pvxentest exists and is ours (dom0-init)" \
	'until_ok 10 xs_is device/pvxentest ""'
xs rm $F >/dev/null
xs rm "/local/domain/$domid/data/pvxentest-back" >/dev/null
add_fake 2
check "hotplugged pvxentest-0 appears" 'until_ok 5 present $FS'
check "attributes: nodename, otherend, otherend_id" \
	'[ "$(rd $FS/nodename)" = $F ] && [ "$(rd $FS/otherend)" = "$B" ] && \
	[ "$(rd $FS/otherend_id)" = "$domid" ]'
check "driver bound, probe went Initialised" \
	'until_ok 5 has_state $FS Initialised && [ -e $FS/driver ] && \
	[ "$(drv probed)" = 1 ] && xs_is $F/state 3'
check "otherend watch: driver saw the backend's InitWait" \
	'until_ok 5 drv_is last 2'
xs write "$B/state" 4 >/dev/null
check "backend Connected -> frontend Connected" \
	'until_ok 5 has_state $FS Connected && xs_is $F/state 4'

# Orderly close when the backend follows.
xs write "$B/state" 6 >/dev/null
until_ok 5 has_state $FS Closing
echo pvxentest-0 >$TDRV/unbind
check "unbind: Closing -> Closed handshake, remove() ran" \
	'has_state $FS Closed && xs_is $F/state 6 && [ "$(drv removed)" = 1 ] && \
	[ ! -e $FS/driver ]'
check "otherend watch gone with the driver" '[ "$(stat watches)" = "$wbase" ]'

# Rebind while the backend still says Connected, as blkback does when it
# has not caught up with the last close yet: the probe first takes it
# down to Closed (it would not answer Initialising otherwise).  We play
# the backend; the bind returns once the probe is done.
xs write "$B/state" 4 >/dev/null
echo pvxentest-0 >$TDRV/bind &
bind_pid=$!
check "rebind against a stale Connected backend: the frontend goes Closing first" \
	'until_ok 5 xs_is $F/state 5'
xs write "$B/state" 5 >/dev/null
check "... and Closed once the backend follows" 'until_ok 5 xs_is $F/state 6'
xs write "$B/state" 6 >/dev/null
wait $bind_pid
check "... and only then probes the driver (Initialised)" \
	'[ "$(drv probed)" = 2 ] && until_ok 5 has_state $FS Initialised && \
	dmesg | grep -q "pvxentest-0: backend is still Connected from an earlier connection"'

# Close against a backend that never answers (it stays Connected): the
# frontend still goes Closing, gives up on the backend following when
# the handshake's deadline passes, goes Closed without waiting again
# (the deadline is spent), and remove() runs.  remove() then tries to
# switch to Connected, as a connect finishing during the close would:
# refused (-EBUSY), and the frontend stays Closed.
xs write "$B/state" 4 >/dev/null
check "rebind: probed again, Connected" 'until_ok 5 has_state $FS Connected'
xs remove_connect 1 >/dev/null
t0=$(cut -d. -f1 /proc/uptime)
echo pvxentest-0 >$TDRV/unbind
t1=$(cut -d. -f1 /proc/uptime)
xs remove_connect 0 >/dev/null
diag "close against a silent backend took $((t1 - t0)) s"
check "close against a silent backend: Closing, gave up waiting (logged), Closed, remove() ran" \
	'dmesg | grep -q "pvxentest-0: backend did not follow to Closing in [0-9]* ms (it is Connected)" && \
	dmesg | grep -q "pvxentest-0: backend not Closed after [0-9]* ms (it is Connected)" && \
	has_state $FS Closed && xs_is $F/state 6 && [ "$(drv removed)" = 2 ]'
check "a switch to Connected from remove() is refused (-EBUSY), the frontend stays Closed" \
	'[ "$(drv remove_switch)" = -16 ] && xs_is $F/state 6 && \
	dmesg | grep -q "pvxentest-0: refusing to switch to Connected while closing"'

# Hot-unplug and re-plug.
echo pvxentest-0 >$TDRV/bind
until_ok 5 has_state $FS Connected
xs rm $F >/dev/null
# The bus's symlink goes before remove() runs (bus_remove_device), so
# wait for the count too.
check "hot-unplug: device gone, remove() ran" \
	'until_ok 5 absent $FS && until_ok 5 drv_is removed 3'
add_fake 4
check "re-plug: device back, probed, Connected" \
	'until_ok 5 present $FS && until_ok 5 has_state $FS Connected && \
	[ "$(drv probed)" = 4 ]'
xs write device/pvxentest/1/backend-id "$domid" >/dev/null
xs write device/pvxentest/1/backend "$B" >/dev/null
check "second fake device pvxentest-1 appears too" \
	'until_ok 5 present $DEVS/pvxentest-1'
check "two bound devices: one otherend watch each" \
	'until_ok 5 present $DEVS/pvxentest-1/driver && \
	until_ok 5 watches_are $((wbase + 2))'

# Unloading the driver module closes and removes every bound device.
xs write "$B/state" 6 >/dev/null
until_ok 5 has_state $FS Closing
check "rmmod pvxen-xs-test: devices stay, unbound" \
	'rmmod pvxen_xs_test && [ -e $FS ] && [ ! -e $FS/driver ] && \
	has_state $FS Closed'
check "watches back to the bus's own" '[ "$(stat watches)" = "$wbase" ]'
insmod "$TEST"
xs rm device/pvxentest/1 >/dev/null
xs rm $F >/dev/null
xs rm "/local/domain/$domid/data/pvxentest-back" >/dev/null
check "fake devices removed" \
	'until_ok 5 absent $FS && until_ok 5 absent $DEVS/pvxentest-1'
rmmod pvxen_xs_test
check "nothing in flight" '[ "$(stat in_flight)" = 0 ]'

# pvxen-core unloads cleanly and brings the bus back.
check "rmmod pvxen-core: bus gone" 'rmmod pvxen_core && [ ! -e $BUS ]'
check "insmod pvxen-core: bus back" 'insmod "$CORE" && until_ok 5 present $DEVS'
vif_check "vif-0 back, still unbound, state Initialising" \
	'until_ok 5 present $V && [ ! -e $V/driver ] && has_state $V Initialising'
