using Gateway.Core.Codec;

namespace Gateway.Bindings.Sim7080
{
    /// <summary>Downlinks: +SMSUB URCs serviced, taken by channel, and the hex twins' copies sorted out.</summary>
    public sealed partial class Sim7080
    {
        /// <summary>
        /// Reads whatever the modem sent meanwhile (URCs: downlinks, session loss), waiting at most
        /// <paramref name="waitMs"/> for the first line.
        /// </summary>
        public void Service(int waitMs)
        {
            Idle(waitMs < 0 ? 0 : waitMs);
        }

        /// <summary>
        /// Moves the oldest kept downlink into <paramref name="buffer"/>; <paramref name="channel"/> is
        /// MqttTopics.AckChannel or MqttTopics.DownChannel. False when none is waiting or it does not fit.
        /// </summary>
        public bool TryTakeDownlink(byte[] buffer, int offset, int capacity, out int channel, out int count)
        {
            channel = 0;
            count = 0;
            if (_downlinkCount == 0 || _downlinkLength[_downlinkHead] > capacity)
            {
                return false;
            }

            count = _downlinkLength[_downlinkHead];
            channel = _downlinkChannel[_downlinkHead];
            byte[] source = _downlinkData[_downlinkHead];
            for (int i = 0; i < count; i++)
            {
                buffer[offset + i] = source[i];
            }

            _downlinkHead = (_downlinkHead + 1) % DownlinkSlots;
            _downlinkCount--;
            return true;
        }

        private void KeepDownlink()
        {
            int channel = TopicChannel();
            if (channel == 0)
            {
                DownlinksRefused++;
                return;
            }

            if (channel < 0)
            {
                DownlinksOtherPair++;
                _otherPairSeen = true;
                return;
            }

            int length = DecodeMessage(_scratch);
            if (length < 0)
            {
                DownlinksRefused++;
                return;
            }

            int slot;
            if (_downlinkCount == DownlinkSlots)
            {
                slot = _downlinkHead;
                _downlinkHead = (_downlinkHead + 1) % DownlinkSlots;
                DownlinksDropped++;
            }
            else
            {
                slot = (_downlinkHead + _downlinkCount) % DownlinkSlots;
                _downlinkCount++;
            }

            byte[] target = _downlinkData[slot];
            for (int i = 0; i < length; i++)
            {
                target[i] = _scratch[i];
            }

            _downlinkLength[slot] = length;
            _downlinkChannel[slot] = channel;
        }

        /// <summary>
        /// Decodes the +SMSUB message into <paramref name="target"/>; -1 when invalid. Exactly one layer of hex: the
        /// modem's SUBHEX encoding of a binary topic's payload, or the hex text of a twin topic as the modem passes it
        /// without SUBHEX (the driver subscribes to the twins exactly then).
        /// </summary>
        private int DecodeMessage(byte[] target)
        {
            return HexText.Decode(_rx, _response.MessageStart, _response.MessageLength, target);
        }

        /// <summary>
        /// The channel of the +SMSUB topic when it is one of the pair this session subscribed to, -1 when it is one of
        /// the other pair (a stale subscription of an earlier session), 0 when it is none of ours.
        /// </summary>
        private int TopicChannel()
        {
            bool binaryAck = TopicIs(_ackTopic);
            bool binaryDown = !binaryAck && TopicIs(_downTopic);
            bool twinAck = !binaryAck && !binaryDown && TopicIs(_ackHexTopic);
            bool twinDown = !binaryAck && !binaryDown && !twinAck && TopicIs(_downHexTopic);
            if (!binaryAck && !binaryDown && !twinAck && !twinDown)
            {
                return 0;
            }

            if ((twinAck || twinDown) != _subscribedHexTwins)
            {
                return -1;
            }

            return binaryAck || twinAck ? Gateway.Core.Uplink.MqttTopics.AckChannel : Gateway.Core.Uplink.MqttTopics.DownChannel;
        }

        /// <summary>
        /// A malformed line that begins like a +SMSUB URC of the other pair's binary topics while on the hex twins: the
        /// first fragment of a binary copy cut at its CR/LF by the text URC. Noted, so that pair is unsubscribed.
        /// </summary>
        private void NoteMangledFragment(int length)
        {
            if (!_subscribedHexTwins || length < 10 || _rx[0] != (byte)'+' || _rx[1] != (byte)'S' || _rx[2] != (byte)'M'
                || _rx[3] != (byte)'S' || _rx[4] != (byte)'U' || _rx[5] != (byte)'B' || _rx[6] != (byte)':')
            {
                return;
            }

            int at = _rx[7] == (byte)' ' ? 8 : 7;
            if (_rx[at] != (byte)'"')
            {
                return;
            }

            if (QuotedTopicAt(at + 1, length, _ackTopic) || QuotedTopicAt(at + 1, length, _downTopic))
            {
                DownlinksOtherPair++;
                _otherPairSeen = true;
            }
        }

        private bool QuotedTopicAt(int start, int length, string topic)
        {
            if (start + topic.Length >= length || _rx[start + topic.Length] != (byte)'"')
            {
                return false;
            }

            for (int i = 0; i < topic.Length; i++)
            {
                if (_rx[start + i] != (byte)topic[i])
                {
                    return false;
                }
            }

            return true;
        }

        private bool TopicIs(string topic)
        {
            if (_response.TopicLength != topic.Length)
            {
                return false;
            }

            for (int i = 0; i < topic.Length; i++)
            {
                if (_rx[_response.TopicStart + i] != (byte)topic[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
