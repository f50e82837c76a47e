/**
 * Words that mean the same thing to a customer-service FAQ, in Chinese and English. The first
 * word of each group is the one the index and the queries both use, so a question asked with
 * any of them finds an entry written with any other ("驾照" finds "驾驶证", "parking" finds "停车").
 * Words as the segmenter cuts them, after normalisation (simplified, lowercase).
 */
export const builtInSynonyms: readonly string[][] = [
  // Booking and orders
  ['预订', '预定', '订', '订购', '下单', '报名', 'book', 'booking', 'reserve', 'reservation'],
  ['取消', '退订', '退团', 'cancel', 'cancellation'],
  ['退款', '退钱', '退费', 'refund'],
  ['改期', '改日期', '换日期', '改签', 'reschedule'],
  ['订单', 'order'],
  ['发票', '开票', '报销', 'invoice', 'receipt', 'fapiao'],
  ['押金', '保证金', 'deposit'],
  ['定金', '订金', '预付款', 'prepayment'],
  ['价格', '价钱', '多少钱', '费用', '收费', '钱', '价', 'price', 'cost', 'fee', 'charge', 'rate'],
  ['优惠', '折扣', '打折', '便宜', '半价', '减免', 'discount'],
  ['付款', '支付', '付钱', '缴费', 'pay', 'payment'],
  ['积分', '会员', 'member', 'membership', 'points', 'loyalty'],
  // Time
  ['时间', '几点', '点钟', '时候', '营业时间', '几月', '几月份', '月份', 'time', 'hours', 'when'],
  ['多久', '多长时间', '几天', '多少天', 'long'],
  ['开始', '开门', '营业', 'open', 'opens', 'start'],
  ['结束', '关门', '截止', '打烊', 'close', 'closes', 'end'],
  ['提前', '预先', 'advance', 'early'],
  ['延迟', '延时', '延长', '推迟', '晚点', 'late', 'delay', 'extend'],
  // People
  ['儿童', '小孩', '孩子', '小朋友', '宝宝', '婴儿', 'child', 'children', 'kid', 'kids', 'baby'],
  ['老人', '老年人', '长者', 'senior', 'elderly'],
  ['客服', '人工', '人工客服', '服务员', '工作人员', 'staff', 'agent'],
  ['导游', '向导', '讲解员', 'guide'],
  // Travel and places
  ['停车', '泊车', '停车场', '车位', '停车位', 'park', 'parking'],
  ['充电', '充电桩', 'charging', 'charger'],
  ['电动车', '电瓶车', '电动自行车', '电单车'],
  ['驾照', '驾驶证', '驾驶执照'],
  ['身份证', '证件', '护照', 'id', 'passport'],
  ['签证', 'visa'],
  ['外国', '外国人', '外籍', '老外', 'foreign', 'foreigner'],
  ['地铁', '地铁站', 'metro', 'subway'],
  ['景点', '景区', 'attraction', 'attractions', 'sightseeing'],
  ['附近', '周边', '周围', 'nearby'],
  ['寺', '寺庙', '寺院', 'temple'],
  ['机场', '航站楼', 'airport'],
  ['火车站', '高铁站', '车站', 'station', 'train'],
  ['接送', '接机', '送机', '接站', 'pickup', 'shuttle', 'transfer'],
  ['地址', '位置', '在哪', '在哪里', '怎么去', 'address', 'location', 'where'],
  ['门票', '票', '入场券', 'ticket', 'tickets'],
  ['行李', '行李箱', '箱子', 'luggage', 'baggage', 'bag', 'bags'],
  ['寄存', '存放', '保管', 'storage'],
  // Lodging
  ['入住', '办理入住', 'checkin', 'check-in'],
  ['退房', '离店', 'checkout', 'check-out'],
  ['早餐', '早饭', '早点', 'breakfast'],
  ['午餐', '午饭', 'lunch'],
  ['晚餐', '晚饭', 'dinner'],
  ['房间', '客房', '房型', '房', 'room', 'rooms'],
  ['酒店', '宾馆', '饭店', '旅馆', '住宿', 'hotel', 'hostel'],
  ['加床', '额外床'],
  ['无线网', 'wifi', '网络', '上网', '网', 'internet'],
  ['健身房', '健身', 'gym', 'fitness'],
  ['游泳池', '泳池', '游泳', 'pool', 'swim', 'swimming'],
  ['宠物', 'pet', 'pets'],
  ['吸烟', '抽烟', 'smoke', 'smoking'],
  ['洗衣', '洗衣服', '干洗', 'laundry'],
  ['失物', '丢失', '丢了', '遗失', '落下', '忘带', '忘拿', '遗落', '落在', '忘在', 'lost'],
  ['无障碍', '轮椅', '残疾人', '残障', 'accessible', 'accessibility', 'wheelchair', 'disabled'],
  // Service
  ['投诉', '举报', '意见', 'complaint', 'complain'],
  ['联系', '电话', '热线', '联系方式', 'contact', 'phone', 'call'],
  ['保险', 'insurance'],
  ['受伤', '摔伤', '伤', '扭伤', 'injury', 'injured', 'hurt'],
  ['生病', '病', '不舒服', 'sick', 'ill'],
  ['天气', '下雨', '下雪', 'weather', 'rain'],
]

/** Words that stand for a broader one in a question ("能带猫吗" asks about pets): the query also looks for the broader word. */
export const builtInBroader: Readonly<Record<string, string>> = {
  猫: '宠物',
  狗: '宠物',
  cat: '宠物',
  cats: '宠物',
  dog: '宠物',
  dogs: '宠物',
  小狗: '宠物',
  小猫: '宠物',
  狗狗: '宠物',
  猫咪: '宠物',
}

/** Looks up a word's group's word. */
export class Synonyms {
  private readonly canonical = new Map<string, string>()

  constructor(
    groups: readonly string[][] = builtInSynonyms,
    readonly broader: Readonly<Record<string, string>> = builtInBroader,
  ) {
    for (const group of groups) {
      for (const word of group) if (!this.canonical.has(word)) this.canonical.set(word, group[0]!)
    }
  }

  /** The word the index uses for `word`. */
  of(word: string): string {
    return this.canonical.get(word) ?? word
  }

  /** Every word the table knows (for the segmenter's dictionary, so they stay whole). */
  words(): string[] {
    return [...this.canonical.keys(), ...Object.keys(this.broader)]
  }
}
