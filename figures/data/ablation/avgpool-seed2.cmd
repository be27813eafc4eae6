build/cc-native/lenet train --data data/mnist --arch paper-avgpool --passes 10 --seed 2  --model build/ablation/avgpool-seed2.model --log figures/data/ablation/avgpool-seed2.csv
