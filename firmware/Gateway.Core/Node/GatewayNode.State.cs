using System;
using Gateway.Core.Storage;

namespace Gateway.Core.Node
{
    /// <content>The node's durable state across deep sleep and power cuts.</content>
    public sealed partial class GatewayNode
    {
        // -------------------------------------------------------------------------------------------------------------
        // Durable state: version, boot counter, downlink counter, last send times, batch chain.
        // -------------------------------------------------------------------------------------------------------------

        private void LoadState()
        {
            int length;
            Array.Clear(_state, 0, _state.Length);
            _detectorStateLoaded = false;
            bool v2 = _log.State.TryLoad(StateKey, _state, 0, out length) && length == StateBytes && _state[0] == StateVersion;
            bool v1 = !v2 && length == StateBytesVersion1 && _state[0] == 1;
            if (v2 || v1)
            {
                _detectorStateLoaded = v2;
                BootCounter = LittleEndian.ReadUInt32(_state, 1);
                _lastSendWallMs = LittleEndian.ReadInt64(_state, 9);
                _lastBacklogSendWallMs = LittleEndian.ReadInt64(_state, 17);
            }
            else
            {
                Array.Clear(_state, 0, _state.Length);
                BootCounter = 0;
            }
        }

        private void SaveState()
        {
            _state[0] = StateVersion;
            LittleEndian.WriteUInt32(_state, 1, BootCounter);
            LittleEndian.WriteUInt32(_state, 5, _downlinks == null ? 0 : _downlinks.LastCounter);
            LittleEndian.WriteInt64(_state, 9, _lastSendWallMs);
            LittleEndian.WriteInt64(_state, 17, _lastBacklogSendWallMs);
            if (_encoder != null)
            {
                _encoder.GetChainState(_state, ChainOffset);
            }

            if (_detector != null)
            {
                _detector.ExportState(_state, DetectorOffset);
            }

            _log.State.Save(StateKey, _state, 0, StateBytes);
            if (_payloads != null)
            {
                _payloads.ClearChainDirty();
            }

            _stateDirty = false;
        }
    }
}
